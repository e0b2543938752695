/**
 * What the connected engine reads by index; set by `connectDatabase` from the server's plans
 * (`probePlans`). The defaults are MongoDB's: everything this code asks is an indexed read there.
 */
export const engine = {
  /**
   * A filter `{field: {$in: [...]}}` on an indexed field is an index read (MongoDB; FerretDB on
   * PostgreSQL with .ci/ferretdb/postgresql-in-pushdown.patch, up to LIST_PUSHDOWN_MAX values).
   * Where it is not (FerretDB on SQLite, an older build), every such command decodes the whole
   * collection, and callers send one equality per value instead.
   */
  listsByIndex: true,
  /**
   * The same for a list of numbers (Telegram ids). The project's FerretDB pushes such a list down
   * as an OR of equalities, which PostgreSQL plans with poor estimates: 300 Telegram ids among
   * 20,000 consents took 0.82–0.95 s by one `$in`, 0.54–0.82 s one by one (2026-12-05, build 15),
   * and it grows with the data. So false on FerretDB: one equality per value.
   */
  numberListsByIndex: true,
  /**
   * The most update statements one command may carry. FerretDB before the project's build 10 held
   * a backend connection for each statement of an update command until the command ended, and a
   * command of about 50 or more never finished (.ci/ferretdb/update-statements.patch): 20 there.
   * Elsewhere a bound on a command's size only.
   */
  updatesPerCommand: 1000,
  /**
   * The server answers one command of a connection at a time and decodes every document it reads
   * (FerretDB): a read of the whole deployment on the read connection then goes one collection at
   * a time (see `wholeReadConcurrency`).
   */
  decodesEveryRead: false,
};

/** `engine.updatesPerCommand` where the engine holds no connection per statement. */
export const UPDATES_PER_COMMAND = engine.updatesPerCommand;

/** Update statements per command where FerretDB holds a connection per statement (see `engine.updatesPerCommand`). */
export const UPDATES_PER_COMMAND_UNPATCHED = 20;

/** The longest `$in` list the patched FerretDB pushes down (see the patch). */
export const LIST_PUSHDOWN_MAX = 1000;
