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
};

/** The longest `$in` list the patched FerretDB pushes down (see the patch). */
export const LIST_PUSHDOWN_MAX = 1000;
