import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { Api } from "grammy";
import mongoose from "mongoose";
import { loadDotEnv } from "./core/dotenv.ts";
import { connectDatabase, disconnectDatabase } from "./db/connection.ts";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "./db/embedded.ts";
import { announceOutsideWrites } from "./db/outside-writes.ts";
import { parseDuration } from "./core/duration.ts";

/** The longest life of an invite link. */
const MAX_INVITE_TTL_MS = 365 * 86_400_000;
import { createInvite, inviteLink, type InviteRole } from "./domain/invites.ts";
import { curatorOrganizationIds, grantRole, isAdmin } from "./domain/roles.ts";
import {
  addNetwork,
  addOrganization,
  findNetwork,
  getOrganization,
  importOrganizations,
  isObjectIdString,
  joinNetwork,
  listNetworks,
  listOrganizations,
  networkOrganizations,
  OrganizationError,
} from "./domain/organizations.ts";
import { User } from "../models/index.ts";
import { writeFileSync } from "node:fs";
import { createTranslator } from "./core/locales.ts";
import { customPeriod } from "./domain/digest-periods.ts";
import { canViewPractice, loadPractice } from "./domain/practices.ts";
import { inScope, mayGetProgram, orderDocx, practiceDocx, programDocx, reportDocx, type DocFile } from "./domain/documents/index.ts";
import { readFileSync } from "node:fs";
import { availableSets, describeProblems, importQuestionSet } from "./domain/question-sets.ts";

/**
 * Administration commands for the person who deploys: `npm run cli -- <command>`.
 * Exit codes: 0 done, 1 refused or failed (one clear line on stderr), 2 wrong arguments (usage
 * on stderr).
 */

export const USAGE = `Usage: npm run cli -- <command>

  org add --name <short name> --tz <IANA zone> [--full-name <text>] [--region <text>]
          [--municipality <text>] [--website <url>] [--legal-form <МДОУ…>] [--network <name>]
      Adds an organization and prints its id.
  org list
      Lists organizations: id, short name, zone, networks.
  org import <file.csv|file.xlsx>
      Imports organizations; header: short_name, timezone, full_name, legal_form, region,
      municipality, website, network (or the Russian column names). Bad rows are listed as
      "line N: reason" and skipped.
  network add <name>
      Creates a network of organizations.
  network join <network name or id> <orgId>
      Adds an organization to a network.
  invite --org <orgId> --role <mentee|mentor|curator> [--uses N] [--ttl 7d]
  invite --network <network name or id> --role curator [--uses N] [--ttl 7d]
      Creates an invitation link (default: 1 use, valid 7 days) and prints it. A network
      invite makes a curator of every organization of the network.
      The bot's username comes from BOT_USERNAME, else from getMe with BOT_TOKEN.
  admin grant <telegramId>
      Makes a Telegram user a deployment admin.
  doc order --org <orgId> --from <ДД.ММ.ГГГГ> --to <ДД.ММ.ГГГГ> [--as <telegramId>] [--out <file>]
      The order assigning the mentoring pairs formed in the period (.docx).
  doc report --org <orgId>[,<orgId>…] --from <date> --to <date> [--as <telegramId>] [--out <file>]
      The curator's report for the period with the indicators (.docx).
  doc program <programId> [--as <telegramId>] [--out <file>]
      The personalised program (.docx).
  doc practice <practiceId> [--as <telegramId>] [--out <file>]
      The best-practice card (.docx).
      With --as, only what that curator (or mentor, for a program) may get; the file goes to
      --out or to the current folder under its own name, and its path is printed.
  survey import <file.json>
      Adds a question set (format: src/domain/question-sets/*.json). Errors are listed as
      "line N: field: reason" and nothing is stored.
  survey list
      Lists the available question sets: code, version, kind, audience, anonymity.

Database: MONGODB_URI if set, else the embedded server with files under DATA_DIR (default ./data).`;

/** Where the CLI writes: one line per call. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** Wrong or missing arguments: usage and exit code 2. */
class UsageError extends Error {}

/** A refusal to report in one line with exit code 1. */
class CliFailure extends Error {}

const INVITE_ROLES: readonly InviteRole[] = ["mentee", "mentor", "curator"];

function parse(args: string[], options: ParseArgsOptionsConfig, positionals: { min: number; max: number }) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const count = parsed.positionals.length;
  if (count < positionals.min) throw new UsageError("missing argument");
  if (count > positionals.max) throw new UsageError(`unexpected argument "${parsed.positionals[positionals.max]}"`);
  return parsed as { values: Record<string, string | undefined>; positionals: string[] };
}

function required(values: Record<string, string | undefined>, name: string): string {
  const value = values[name]?.trim();
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

/** A command, validated before the database is touched. */
type Command = () => Promise<void>;
/** Whether the command writes nothing (every other one tells a running bot it wrote, see `announceOutsideWrites`). */
function readsOnly(argv: string[]): boolean {
  return argv[0] === "doc" || ["org list", "survey list"].includes(`${argv[0] ?? ""} ${argv[1] ?? ""}`);
}

function pad(cells: string[][]): string[] {
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? "").length))) ?? [];
  return cells.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: OrganizationError }): T {
  if (!result.ok) throw new CliFailure(result.error.message);
  return result.value;
}

async function botUsername(env: NodeJS.ProcessEnv): Promise<string> {
  const fromEnv = env.BOT_USERNAME?.trim().replace(/^@/, "");
  if (fromEnv) {
    if (!/^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(fromEnv)) throw new CliFailure(`BOT_USERNAME "${fromEnv}" is not a bot username`);
    return fromEnv;
  }
  const token = env.BOT_TOKEN?.trim();
  if (!token)
    throw new CliFailure("cannot build the link: set BOT_USERNAME (the bot's @username), or BOT_TOKEN so it can be read with getMe");
  const apiRoot = env.TELEGRAM_API_ROOT?.trim().replace(/\/+$/, "");
  try {
    const api = new Api(token, apiRoot ? { apiRoot } : undefined);
    const me = await api.getMe();
    return me.username;
  } catch (err) {
    const message = ((err as Error).message ?? String(err)).split(token).join("[REDACTED]");
    throw new CliFailure(`cannot build the link: getMe with BOT_TOKEN failed (${message}); set BOT_USERNAME instead`);
  }
}

/** Parses argv into a command to run; throws UsageError on anything wrong. */
function resolveCommand(argv: string[], io: CliIo, env: NodeJS.ProcessEnv): Command {
  const [group, action, ...rest] = argv;
  switch (`${group ?? ""} ${action ?? ""}`) {
    case "org add": {
      const { values } = parse(
        rest,
        {
          name: { type: "string" },
          tz: { type: "string" },
          "full-name": { type: "string" },
          region: { type: "string" },
          municipality: { type: "string" },
          website: { type: "string" },
          "legal-form": { type: "string" },
          network: { type: "string" },
        },
        { min: 0, max: 0 },
      );
      const shortName = required(values, "name");
      const timezone = required(values, "tz");
      return async () => {
        const org = unwrap(
          await addOrganization({
            shortName,
            timezone,
            fullName: values["full-name"],
            region: values.region,
            municipality: values.municipality,
            website: values.website,
            legalForm: values["legal-form"],
            network: values.network,
          }),
        );
        io.out(org.id);
      };
    }
    case "org list": {
      parse(rest, {}, { min: 0, max: 0 });
      return async () => {
        const [orgs, networks] = await Promise.all([listOrganizations(), listNetworks()]);
        if (orgs.length === 0) {
          io.out("no organizations yet (add one with: org add --name <short name> --tz <IANA zone>)");
          return;
        }
        const names = new Map(networks.map((n) => [n.id, n.name]));
        const rows = orgs.map((o) => [o.id, o.shortName, o.municipality ?? o.region ?? "", o.timezone, o.networkIds.map((id) => names.get(id) ?? id).join(", ")]);
        for (const line of pad([["id", "short name", "municipality", "zone", "networks"], ...rows])) io.out(line);
      };
    }
    case "org import": {
      const { positionals } = parse(rest, {}, { min: 1, max: 1 });
      const file = positionals[0] as string;
      return async () => {
        // Progress on stderr for files of 1,000 rows or more: about every tenth, and at the end.
        let shown = 0;
        const report = await importOrganizations(file, {
          onProgress: (done, total) => {
            const step = Math.max(1000, Math.ceil(total / 10));
            if (total < 1000 || done === shown || (done - shown < step && done < total)) return;
            shown = done;
            io.err(`${done} of ${total} rows`);
          },
        });
        io.out(`imported: ${report.imported}, skipped: ${report.skipped.length}`);
        for (const s of report.skipped) io.out(`line ${s.line}: ${s.reason}`);
      };
    }
    case "network add": {
      const { positionals } = parse(rest, {}, { min: 1, max: Number.POSITIVE_INFINITY });
      const name = positionals.join(" ").trim();
      if (!name) throw new UsageError("missing network name");
      return async () => {
        const network = unwrap(await addNetwork(name));
        io.out(network.id);
      };
    }
    case "network join": {
      const { positionals } = parse(rest, {}, { min: 2, max: 2 });
      const [network, orgId] = positionals as [string, string];
      return async () => {
        const joined = unwrap(await joinNetwork(network, orgId));
        io.out(
          joined.added
            ? `«${joined.organization.shortName}» joined «${joined.network.name}»`
            : `«${joined.organization.shortName}» is already in «${joined.network.name}»`,
        );
      };
    }
    case "admin grant": {
      const { positionals } = parse(rest, {}, { min: 1, max: 1 });
      const idText = positionals[0] as string;
      if (!/^[1-9]\d{0,15}$/.test(idText)) throw new UsageError(`"${idText}" is not a Telegram user id`);
      const telegramId = Number(idText);
      return async () => {
        const user = await User.findOneAndUpdate(
          { telegramId },
          { $setOnInsert: { telegramId } },
          { upsert: true, returnDocument: "after", setDefaultsOnInsert: true },
        ).lean();
        if (!user) throw new CliFailure(`could not create the user ${telegramId}`);
        const added = await grantRole(user._id, "admin", {}, "cli", new Date());
        io.out(added ? `${telegramId} is now an admin` : `${telegramId} is already an admin`);
      };
    }
    case "survey import": {
      const { positionals } = parse(rest, {}, { min: 1, max: 1 });
      const file = positionals[0] as string;
      return async () => {
        let source: string;
        try {
          source = readFileSync(file, "utf8");
        } catch (err) {
          throw new CliFailure(`cannot read ${file}: ${(err as Error).message}`);
        }
        const res = await importQuestionSet(source, "cli", new Date());
        if (!res.ok) {
          for (const line of describeProblems(res.problems)) io.err(`${file}: ${line}`);
          throw new CliFailure(`${file}: ${res.problems.length} problem${res.problems.length === 1 ? "" : "s"}, nothing imported`);
        }
        io.out(res.created ? `imported "${res.code}" version ${res.version}` : `"${res.code}" version ${res.version} is already imported (same content)`);
      };
    }
    case "survey list": {
      parse(rest, {}, { min: 0, max: 0 });
      return async () => {
        const sets = await availableSets();
        const rows = sets.map((s) => [s.code, String(s.version), s.kind, s.audience, s.anonymous ? "anonymous" : "named", String(s.questions.length)]);
        for (const line of pad([["code", "version", "kind", "audience", "answers", "questions"], ...rows])) io.out(line);
      };
    }
    default:
      break;
  }
  if (group === "doc") return docCommand(action, rest, io, env);
  if (group === "invite") {
    const { values } = parse(
      argv.slice(1),
      { org: { type: "string" }, network: { type: "string" }, role: { type: "string" }, uses: { type: "string" }, ttl: { type: "string" } },
      { min: 0, max: 0 },
    );
    const networkText = values.network?.trim();
    if (networkText !== undefined && values.org !== undefined) throw new UsageError("give either --org or --network, not both");
    const orgId = networkText === undefined ? required(values, "org") : "";
    if (networkText === "") throw new UsageError("--network needs a network name or id");
    const role = required(values, "role") as InviteRole;
    if (!INVITE_ROLES.includes(role)) throw new UsageError(`--role must be one of ${INVITE_ROLES.join(", ")}`);
    if (networkText !== undefined && role !== "curator") throw new UsageError("a network invite is for curators only: --role curator");
    const usesText = values.uses?.trim() ?? "1";
    if (!/^\d+$/.test(usesText) || Number(usesText) < 1 || Number(usesText) > 1000)
      throw new UsageError("--uses must be a whole number from 1 to 1000");
    const uses = Number(usesText);
    const ttlText = values.ttl?.trim() ?? "7d";
    const ttlMs = parseDuration(ttlText);
    if (ttlMs === undefined) throw new UsageError(`--ttl "${ttlText}" is not a duration (e.g. 7d, 48h, 2w)`);
    if (ttlMs > MAX_INVITE_TTL_MS) throw new UsageError(`--ttl "${ttlText}" is too long: an invite lives at most 365d`);
    return async () => {
      if (networkText !== undefined) {
        const network = await findNetwork(networkText);
        if (!network) throw new CliFailure(`network "${networkText}" not found (create it with: network add <name>)`);
        const members = await networkOrganizations(network.id);
        const username = await botUsername(env);
        const invite = await createInvite({ networkId: network.id, role, uses, ttlMs, createdBy: "cli", now: new Date() });
        io.out(inviteLink(username, invite.token));
        io.err(
          `invite for network «${network.name}» (${members.length} organization${members.length === 1 ? "" : "s"}) as ${role}: ${uses} use${uses === 1 ? "" : "s"}, valid until ${invite.expiresAt.toISOString()}`,
        );
        return;
      }
      if (!isObjectIdString(orgId)) throw new CliFailure(`"${orgId}" is not an organization id (24 hex digits; see: org list)`);
      const org = await getOrganization(orgId);
      if (!org) throw new CliFailure(`organization ${orgId} not found (see: org list)`);
      const username = await botUsername(env);
      const invite = await createInvite({ organizationId: org.id, role, uses, ttlMs, createdBy: "cli", now: new Date() });
      io.out(inviteLink(username, invite.token));
      io.err(`invite for «${org.shortName}» as ${role}: ${uses} use${uses === 1 ? "" : "s"}, valid until ${invite.expiresAt.toISOString()}`);
    };
  }
  if (group === undefined) throw new UsageError("missing command");
  throw new UsageError(`unknown command "${[group, action].filter(Boolean).join(" ")}"`);
}

const DOC_KINDS = ["order", "report", "program", "practice"] as const;

/** `doc …`: a document written to a file; `--as` limits it to what that person may get in the bot. */
function docCommand(action: string | undefined, rest: string[], io: CliIo, env: NodeJS.ProcessEnv): Command {
  if (!DOC_KINDS.includes(action as (typeof DOC_KINDS)[number])) throw new UsageError(`doc: one of ${DOC_KINDS.join(", ")}`);
  const byId = action === "program" || action === "practice";
  const { values, positionals } = parse(
    rest,
    { org: { type: "string" }, from: { type: "string" }, to: { type: "string" }, as: { type: "string" }, out: { type: "string" } },
    byId ? { min: 1, max: 1 } : { min: 0, max: 0 },
  );
  const asText = values.as?.trim();
  if (asText !== undefined && !/^[1-9]\d{0,15}$/.test(asText)) throw new UsageError(`--as "${asText}" is not a Telegram user id`);
  const orgIds = byId ? [] : required(values, "org").split(",").map((s) => s.trim()).filter(Boolean);
  const fromText = byId ? "" : required(values, "from");
  const toText = byId ? "" : required(values, "to");
  const ru = createTranslator("ru");
  const t = (key: string, args?: Record<string, string | number>) => ru("ru", key, args);
  return async () => {
    const now = new Date();
    // Whose scope: the deployer's (everything) unless --as names a person.
    const viewer = asText ? await User.findOne({ telegramId: Number(asText), registeredAt: { $exists: true }, erasedAt: { $exists: false } }) : null;
    if (asText && !viewer) throw new CliFailure(`no registered user ${asText}`);
    const admin = !viewer || isAdmin(viewer, (env.ADMIN_IDS ?? "").split(",").map((x) => Number(x.trim())).filter((n) => Number.isInteger(n) && n > 0));
    const scope = admin ? null : await curatorOrganizationIds(viewer);
    let doc: DocFile | null;
    if (byId) {
      const id = positionals[0] as string;
      if (action === "program") {
        if (viewer && !(await mayGetProgram(id, viewer, admin))) throw new CliFailure(`${asText} may not get the program ${id}`);
        doc = await programDocx(id, t);
      } else {
        const card = await loadPractice(id);
        if (card && viewer && !(await canViewPractice(card, { ...viewer.toObject(), admin }))) throw new CliFailure(`${asText} may not get the card ${id}`);
        doc = card ? await practiceDocx(id, t) : null;
      }
      if (!doc) throw new CliFailure(`${action} ${id} not found`);
    } else {
      for (const id of orgIds) {
        if (!isObjectIdString(id)) throw new CliFailure(`"${id}" is not an organization id (24 hex digits; see: org list)`);
        if (!inScope(scope, id)) throw new CliFailure(`${asText} does not curate the organization ${id}`);
      }
      const org = await getOrganization(orgIds[0] as string);
      if (!org) throw new CliFailure(`organization ${orgIds[0]} not found (see: org list)`);
      const period = customPeriod(`${fromText} ${toText}`, org.timezone);
      if (!period) throw new CliFailure(`--from/--to: dates like 01.11.2026 30.11.2026, the first not after the second`);
      doc = action === "order" ? await orderDocx(org.id, period, t, now) : await reportDocx(orgIds, period, t, now, org.timezone);
      if (!doc) throw new CliFailure(`organization ${orgIds[0]} not found`);
    }
    const path = values.out?.trim() || doc.filename;
    writeFileSync(path, doc.content);
    io.out(path);
  };
}

/** Connects like the bot does (src/app.ts) unless a connection is already open; returns the cleanup. */
async function ensureConnected(env: NodeJS.ProcessEnv): Promise<() => Promise<void>> {
  if (mongoose.connection.readyState === 1) return async () => undefined;
  const uri = env.MONGODB_URI?.trim();
  let embedded: EmbeddedDatabase | undefined;
  try {
    if (uri) {
      await connectDatabase(uri);
    } else {
      embedded = await startEmbeddedDatabase(env.DATA_DIR?.trim() || "./data");
      await connectDatabase(embedded.uri, { dbName: "nastavnik", readUri: embedded.readUri });
    }
  } catch (err) {
    await disconnectDatabase().catch(() => undefined);
    await embedded?.stop();
    throw new CliFailure(`cannot open the database: ${(err as Error).message.split("\n")[0]}`);
  }
  return async () => {
    await disconnectDatabase();
    await embedded?.stop();
  };
}

/**
 * Runs one CLI invocation (argv without `node` and the script) and returns the exit code.
 * Uses the open mongoose connection when there is one (tests), else connects and disconnects.
 */
export async function runCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (argv.length === 1 && ["help", "--help", "-h"].includes(argv[0] as string)) {
    for (const line of USAGE.split("\n")) io.out(line);
    return 0;
  }
  let command: Command;
  try {
    command = resolveCommand(argv, io, env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`error: ${err.message}`);
    for (const line of USAGE.split("\n")) io.err(line);
    return 2;
  }
  let cleanup: (() => Promise<void>) | undefined;
  try {
    cleanup = await ensureConnected(env);
    await command();
    if (!readsOnly(argv)) {
      // A running bot on FerretDB answers from in-process copies: tell it to drop them.
      await announceOutsideWrites().catch((err: unknown) => io.err(`warning: a running bot may show the change only after its restart: ${(err as Error).message}`));
    }
    return 0;
  } catch (err) {
    if (err instanceof CliFailure || err instanceof OrganizationError) io.err(`error: ${err.message}`);
    else io.err(`error: ${(err as Error).message ?? String(err)}`);
    return 1;
  } finally {
    await cleanup?.().catch((err: unknown) => io.err(`warning: closing the database failed: ${(err as Error).message}`));
  }
}

async function main(): Promise<void> {
  loadDotEnv();
  const code = await runCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
  process.exit(code);
}

if (import.meta.main) void main();
