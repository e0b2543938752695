import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { useTestDatabase } from "./helpers/db.ts";
import { Invite, Network, Organization, User } from "../models/index.ts";
import { runCli, USAGE } from "../src/cli.ts";
import { findFerretdb, freePort } from "../src/db/embedded.ts";
import { findUsableInvite } from "../src/domain/invites.ts";

useTestDatabase();

const CLI = resolve("src/cli.ts");
const COMMANDS = ["org add", "org list", "org import", "network add", "network join", "invite", "admin grant", "survey import", "survey list"];
const BOT_ENV = { ...process.env, BOT_USERNAME: "nastavnik_test_bot", BOT_TOKEN: "" };

interface Run {
  code: number;
  out: string[];
  err: string[];
}

async function cli(argv: string[], env: NodeJS.ProcessEnv = BOT_ENV): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, env);
  return { code, out, err };
}

async function addOrg(name: string, tz = "Europe/Moscow"): Promise<string> {
  const run = await cli(["org", "add", "--name", name, "--tz", tz]);
  expect(run).toMatchObject({ code: 0, err: [] });
  return run.out[0] as string;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "nastavnik-cli-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("cli: org", () => {
  it("org add prints only the new id, which exists in the database", async () => {
    const run = await cli([
      "org",
      "add",
      "--name",
      "МДОУ «Детский сад № 27»",
      "--tz",
      "Europe/Moscow",
      "--full-name",
      "Муниципальное дошкольное образовательное учреждение «Детский сад № 27»",
      "--region",
      "Ярославская область",
      "--network",
      "Ярославская сеть",
    ]);
    expect(run.code).toBe(0);
    expect(run.out).toHaveLength(1);
    expect(run.out[0]).toMatch(/^[0-9a-f]{24}$/);
    const org = await Organization.findById(run.out[0]).lean();
    expect(org).toMatchObject({ shortName: "МДОУ «Детский сад № 27»", timezone: "Europe/Moscow", region: "Ярославская область", legalForm: "МДОУ" });
    expect(org?.networkIds).toHaveLength(1);
    expect((await Network.findById(org?.networkIds[0]).lean())?.name).toBe("Ярославская сеть");
  });

  it("domain errors print one line and exit 1", async () => {
    const badZone = await cli(["org", "add", "--name", "Детский сад № 1", "--tz", "Mars/Olympus"]);
    expect(badZone.code).toBe(1);
    expect(badZone.out).toEqual([]);
    expect(badZone.err).toHaveLength(1);
    expect(badZone.err[0]).toMatch(/invalid time zone "Mars\/Olympus"/);

    const dup = await cli(["org", "add", "--name", "детский сад No 27", "--tz", "Europe/Moscow", "--region", "Ярославская область"]);
    expect(dup.code).toBe(1);
    expect(dup.err).toHaveLength(1);
    expect(dup.err[0]).toMatch(/already exists/);
  });

  it("org list prints a table with id, short name, zone and networks", async () => {
    const orsk = await addOrg("МДОАУ № 56 г. Орска", "Asia/Yekaterinburg");
    const run = await cli(["org", "list"]);
    expect(run.code).toBe(0);
    expect(run.out[0]).toMatch(/^id\s+short name\s+municipality\s+zone\s+networks$/);
    const orskLine = run.out.find((l) => l.startsWith(orsk));
    expect(orskLine).toMatch(/^[0-9a-f]{24}\s+МДОАУ № 56 г\. Орска\s+Asia\/Yekaterinburg$/);
    const yar = run.out.find((l) => l.includes("Детский сад № 27"));
    expect(yar).toMatch(/Europe\/Moscow\s+Ярославская сеть$/);
  });

  it("org import prints the count and each bad row; a missing file exits 1", async () => {
    const path = join(dir, "orgs.csv");
    writeFileSync(
      path,
      "\uFEFFКраткое наименование;Часовой пояс;Сеть\nМДОУ «Детский сад № 12»;Europe/Moscow;Ярославская сеть\nДетский сад № 3;Mars/Olympus;\n;Europe/Moscow;\nМДОУ «Детский сад № 155»;Europe/Moscow;Ярославская сеть\nМДОУ детский сад №12;Europe/Moscow;\n",
    );
    const run = await cli(["org", "import", path]);
    expect(run.code).toBe(0);
    expect(run.out[0]).toBe("imported: 2, skipped: 3");
    expect(run.out.slice(1)).toEqual([
      expect.stringMatching(/^line 3: invalid time zone "Mars\/Olympus"/),
      expect.stringMatching(/^line 4: missing short name/),
      expect.stringMatching(/^line 6: duplicate of line 2/),
    ]);

    const koi8 = join(dir, "koi8.csv");
    writeFileSync(koi8, Buffer.from([...("short_name;timezone\nДетский сад Солнышко;Europe/Moscow\n")].map((ch) => KOI8.get(ch) ?? ch.charCodeAt(0))));
    const refused = await cli(["org", "import", koi8]);
    expect(refused.code).toBe(1);
    expect(refused.err).toEqual([expect.stringMatching(/neither UTF-8 nor windows-1251 \(it reads as KOI8-R\).*nothing was imported/)]);
    expect(await Organization.countDocuments({ shortName: /Солнышко/ })).toBe(0);

    const missing = await cli(["org", "import", join(dir, "nope.xlsx")]);
    expect(missing.code).toBe(1);
    expect(missing.err).toEqual([expect.stringMatching(/cannot read .*nope\.xlsx: no such file/)]);
  });
});

describe("cli: organizations by place", () => {
  it("org add keeps same-named kindergartens of two towns; org list shows the town", async () => {
    const yar = await cli(["org", "add", "--name", "Детский сад № 5", "--tz", "Europe/Moscow", "--municipality", "Ярославль"]);
    const ryb = await cli(["org", "add", "--name", "Детский сад № 5", "--tz", "Europe/Moscow", "--municipality", "Рыбинск"]);
    expect([yar.code, ryb.code]).toEqual([0, 0]);
    const dup = await cli(["org", "add", "--name", "детский сад №5", "--tz", "Europe/Moscow", "--municipality", "г. Ярославль"]);
    expect(dup.code).toBe(1);
    expect(dup.err).toEqual([expect.stringMatching(/«Детский сад № 5» \(Ярославль\) already exists/)]);
    const list = await cli(["org", "list"]);
    expect(list.out.find((l) => l.startsWith(yar.out[0] as string))).toMatch(/Детский сад № 5\s+Ярославль\s+Europe\/Moscow/);
    expect(list.out.find((l) => l.startsWith(ryb.out[0] as string))).toMatch(/Детский сад № 5\s+Рыбинск\s+Europe\/Moscow/);
  });

  it("org import shows progress on stderr for a big file", async () => {
    const lines = ["short_name,timezone,municipality"];
    for (let i = 0; i < 2000; i++) lines.push(`Детский сад № ${i % 100},Europe/Moscow,Посёлок ${Math.floor(i / 100)}`);
    const path = join(dir, "big.csv");
    writeFileSync(path, lines.join("\n"));
    const run = await cli(["org", "import", path]);
    expect(run.code).toBe(0);
    expect(run.out).toEqual(["imported: 2000, skipped: 0"]);
    expect(run.err).toEqual(["1000 of 2000 rows", "2000 of 2000 rows"]);
  });
});

describe("cli: network", () => {
  it("network add creates a network once; network join adds an organization", async () => {
    const add = await cli(["network", "add", "Оренбургская", "сеть"]);
    expect(add.code).toBe(0);
    expect(add.out[0]).toMatch(/^[0-9a-f]{24}$/);
    expect((await Network.findById(add.out[0]).lean())?.name).toBe("Оренбургская сеть");
    const again = await cli(["network", "add", "оренбургская сеть"]);
    expect(again.code).toBe(1);
    expect(again.err[0]).toMatch(/already exists/);

    const orgId = await addOrg("МДОАУ № 7 г. Орска", "Asia/Yekaterinburg");
    const join1 = await cli(["network", "join", "Оренбургская сеть", orgId]);
    expect(join1).toMatchObject({ code: 0, out: ["«МДОАУ № 7 г. Орска» joined «Оренбургская сеть»"] });
    const join2 = await cli(["network", "join", add.out[0] as string, orgId]);
    expect(join2.code).toBe(0);
    expect(join2.out[0]).toMatch(/already in/);
    expect((await Organization.findById(orgId).lean())?.networkIds.map(String)).toEqual([add.out[0]]);

    expect((await cli(["network", "join", "Нет такой сети", orgId])).code).toBe(1);
    expect((await cli(["network", "join", "Оренбургская сеть", "0123456789abcdef01234567"])).code).toBe(1);
  });
});

describe("cli: invite", () => {
  it("prints a deep link whose payload findUsableInvite accepts", async () => {
    const orgId = await addOrg("МДОУ «Детский сад № 117»");
    const before = Date.now();
    const run = await cli(["invite", "--org", orgId, "--role", "mentor"]);
    expect(run.code).toBe(0);
    expect(run.out).toHaveLength(1);
    const match = /^https:\/\/t\.me\/nastavnik_test_bot\?start=(.+)$/.exec(run.out[0] as string);
    const payload = match?.[1] as string;
    expect(payload).toMatch(/^i_[A-Za-z0-9_-]{32}$/);
    const invite = await findUsableInvite(payload, new Date());
    expect(invite).toEqual({ id: expect.any(String), organizationId: orgId, role: "mentor" });
    const stored = await Invite.findById(invite?.id).lean();
    expect(stored).toMatchObject({ maxUses: 1, remainingUses: 1, createdBy: "cli" });
    const ttl = (stored?.expiresAt.getTime() ?? 0) - before;
    expect(ttl).toBeGreaterThanOrEqual(7 * 86_400_000 - 1000);
    expect(ttl).toBeLessThan(7 * 86_400_000 + 60_000);
  });

  it("takes --uses and --ttl", async () => {
    const orgId = await addOrg("МДОУ «Детский сад № 151»");
    const run = await cli(["invite", "--org", orgId, "--role", "curator", "--uses", "25", "--ttl", "48h"]);
    expect(run.code).toBe(0);
    const payload = (run.out[0] as string).split("?start=")[1];
    const invite = await findUsableInvite(payload, new Date());
    expect(invite?.role).toBe("curator");
    const stored = await Invite.findById(invite?.id).lean();
    expect(stored?.maxUses).toBe(25);
    expect(await findUsableInvite(payload, new Date(Date.now() + 49 * 3_600_000))).toBeUndefined();
  });

  it("reads the bot username with getMe when BOT_USERNAME is unset", async () => {
    const orgId = await addOrg("МДОУ «Детский сад № 232»");
    const token = "123456:AAE-test-token-for-the-cli-getme-0000";
    const calls: string[] = [];
    const server: Server = createServer((req, res) => {
      calls.push(req.url ?? "");
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ok: true, result: { id: 123456, is_bot: true, first_name: "Наставник", username: "from_getme_bot" } }));
    });
    const port = await freePort();
    await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
    try {
      const env = { ...process.env, BOT_USERNAME: "", BOT_TOKEN: token, TELEGRAM_API_ROOT: `http://127.0.0.1:${port}` };
      const run = await cli(["invite", "--org", orgId, "--role", "mentee"], env);
      expect(run.code).toBe(0);
      expect(run.out[0]).toMatch(/^https:\/\/t\.me\/from_getme_bot\?start=i_[A-Za-z0-9_-]{32}$/);
      expect(calls).toEqual([`/bot${token}/getMe`]);
    } finally {
      server.close();
    }
  });

  it("fails clearly without a way to know the bot, and for an unknown organization", async () => {
    const orgId = await addOrg("МДОУ «Детский сад № 300»");
    const count = await Invite.countDocuments();
    const noBot = await cli(["invite", "--org", orgId, "--role", "mentee"], { ...process.env, BOT_USERNAME: "", BOT_TOKEN: "" });
    expect(noBot.code).toBe(1);
    expect(noBot.err).toEqual([expect.stringMatching(/BOT_USERNAME.*BOT_TOKEN/)]);
    const unknown = await cli(["invite", "--org", "0123456789abcdef01234567", "--role", "mentee"]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toEqual([expect.stringMatching(/organization 0123456789abcdef01234567 not found/)]);
    const malformed = await cli(["invite", "--org", "27", "--role", "mentee"]);
    expect(malformed.code).toBe(1);
    expect(await Invite.countDocuments()).toBe(count);
  });
});

describe("cli: admin", () => {
  it("admin grant upserts the user and adds the admin role once", async () => {
    const run = await cli(["admin", "grant", "777000111"]);
    expect(run).toMatchObject({ code: 0, out: ["777000111 is now an admin"] });
    const user = await User.findOne({ telegramId: 777000111 }).lean();
    expect(user?.roles).toEqual([expect.objectContaining({ role: "admin", grantedBy: "cli" })]);

    const again = await cli(["admin", "grant", "777000111"]);
    expect(again).toMatchObject({ code: 0, out: ["777000111 is already an admin"] });
    expect(await User.countDocuments({ telegramId: 777000111 })).toBe(1);
    expect((await User.findOne({ telegramId: 777000111 }).lean())?.roles).toHaveLength(1);
  });

  it("keeps an existing user's data and other roles", async () => {
    const orgId = await addOrg("МДОУ «Детский сад № 301»");
    await User.create({ telegramId: 555, locale: "ru", roles: [{ role: "curator", organizationId: orgId, grantedAt: new Date() }] });
    expect((await cli(["admin", "grant", "555"])).code).toBe(0);
    const user = await User.findOne({ telegramId: 555 }).lean();
    expect(user?.locale).toBe("ru");
    expect(user?.roles.map((r) => r.role)).toEqual(["curator", "admin"]);
  });
});

describe("cli: arguments", () => {
  const wrong: string[][] = [
    [],
    ["org"],
    ["frobnicate"],
    ["org", "add", "--name", "Детский сад"],
    ["org", "add", "--tz", "Europe/Moscow"],
    ["org", "add", "--name", "Детский сад", "--tz", "Europe/Moscow", "--colour", "red"],
    ["org", "list", "extra"],
    ["org", "import"],
    ["network", "add"],
    ["network", "join", "Сеть"],
    ["invite", "--org", "0123456789abcdef01234567"],
    ["invite", "--org", "0123456789abcdef01234567", "--role", "admin"],
    ["invite", "--org", "0123456789abcdef01234567", "--role", "mentee", "--uses", "0"],
    ["invite", "--org", "0123456789abcdef01234567", "--role", "mentee", "--uses", "two"],
    ["invite", "--org", "0123456789abcdef01234567", "--role", "mentee", "--ttl", "week"],
    ["invite", "--org", "0123456789abcdef01234567", "--role", "mentee", "--ttl", "999999999d"],
    ["invite", "--org", "0123456789abcdef01234567", "--role", "mentee", "--ttl", "366d"],
    ["admin", "grant"],
    ["admin", "grant", "-5"],
    ["admin", "grant", "abc"],
    ["admin", "revoke", "5"],
  ];
  it.each(wrong.map((argv) => [argv.join(" ") || "(nothing)", argv]))("%s → usage on stderr, exit 2", async (_name, argv) => {
    const run = await cli(argv as string[]);
    expect(run.code).toBe(2);
    expect(run.out).toEqual([]);
    const err = run.err.join("\n");
    expect(err).toMatch(/^error: /);
    for (const command of COMMANDS) expect(err).toContain(command);
  });

  it("help prints the usage on stdout", async () => {
    const run = await cli(["--help"]);
    expect(run.code).toBe(0);
    expect(run.out.join("\n")).toBe(USAGE);
  });
});

interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runProcess(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<ProcessRun> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolveRun({ code, stdout, stderr }));
  });
}

/** A clean environment: nothing from the developer's shell or .env decides where data goes. */
function processEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
  const ferretdb = findFerretdb();
  if (ferretdb) env.FERRETDB_BIN = ferretdb;
  return env;
}

describe("cli as a process", () => {
  it("node src/cli.ts with no arguments prints the usage on stderr and exits 2", async () => {
    const run = await runProcess([], processEnv({}), dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    for (const command of COMMANDS) expect(run.stderr).toContain(command);
  });

  it("connects to MONGODB_URI, and exits 0 after disconnecting", async () => {
    const uri = new URL(inject("mongoUri"));
    uri.pathname = `/cli_${Date.now()}`;
    const env = processEnv({ MONGODB_URI: uri.toString() });
    const add = await runProcess(["org", "add", "--name", "Детский сад № 1", "--tz", "Asia/Vladivostok"], env, dir);
    expect(add.stderr).toBe("");
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/^[0-9a-f]{24}\n$/);
    const list = await runProcess(["org", "list"], env, dir);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${add.stdout.trim()}  Детский сад № 1 +Asia/Vladivostok`));
  });

  it("without MONGODB_URI uses the embedded database under DATA_DIR, like the bot", async () => {
    const env = processEnv({ DATA_DIR: join(dir, "data") });
    const add = await runProcess(["org", "add", "--name", "Детский сад № 2", "--tz", "Europe/Moscow"], env, dir);
    expect(add.code).toBe(0);
    const id = add.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    const list = await runProcess(["org", "list"], env, dir);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(id);
    const badZone = await runProcess(["org", "add", "--name", "Детский сад № 3", "--tz", "Mars/Olympus"], env, dir);
    expect(badZone.code).toBe(1);
    expect(badZone.stderr.trim().split("\n")).toHaveLength(1);
    // Three processes, each starting the embedded server (PostgreSQL's initdb on the first).
  }, 90_000);
});

/** Characters to KOI8-R bytes, for a file the import must refuse. */
const KOI8 = new Map<string, number>(
  Array.from({ length: 128 }, (_, i) => [new TextDecoder("koi8-r").decode(Uint8Array.of(128 + i)), 128 + i] as const),
);
