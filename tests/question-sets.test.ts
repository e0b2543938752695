import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useTestDatabase } from "./helpers/db.ts";
import { QuestionSet } from "../models/index.ts";
import { runCli } from "../src/cli.ts";
import { builtInSets, findSet, parseQuestionSet } from "../src/domain/question-sets.ts";

useTestDatabase();

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, { ...process.env, BOT_TOKEN: "" });
  return { code, out, err };
}

const GOOD = {
  code: "parents-club",
  version: 1,
  kind: "survey",
  audience: "all",
  anonymous: true,
  title: { ru: "Клуб для родителей", en: "Parents' club" },
  questions: [
    { id: "useful", type: "scale", text: { ru: "Полезен ли клуб?", en: "Is the club useful?" }, topics: ["D1"] },
    { id: "when", type: "single", text: { ru: "Когда удобно?", en: "When?" }, options: [{ id: "am", text: { ru: "Утром", en: "Morning" } }, { id: "pm", text: { ru: "Вечером", en: "Evening" } }] },
    { id: "note", type: "text", optional: true, text: { ru: "Комментарий", en: "Comment" } },
  ],
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "nastavnik-sets-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe("question sets", () => {
  it("the built-in sets are valid and cover the surveys the model expects, in ru and en", () => {
    const sets = builtInSets();
    expect(sets.map((s) => s.code).sort()).toEqual(
      ["adaptation", "deficit-diagnostic", "mentor-self-observation", "need-for-mentoring", "readiness-to-mentor", "team-climate", "work-satisfaction"].sort(),
    );
    const kinds = new Set(sets.flatMap((s) => s.questions.map((q) => q.type)));
    expect([...kinds].sort()).toEqual(["multiple", "scale", "single", "text"]);
    const diagnostic = sets.find((s) => s.kind === "diagnostic");
    expect(diagnostic?.lowScore).toBe(2);
    expect(diagnostic?.questions.every((q) => q.type === "scale" && q.topics && q.topics.length > 0)).toBe(true);
    expect(sets.find((s) => s.code === "team-climate")?.anonymous).toBe(true);
    for (const s of sets) for (const q of s.questions) expect(q.text.ru).not.toMatch(/\(а\)|\(льна\)/);
  });

  it("a bad file is rejected with the line of each error, and nothing is stored", async () => {
    const bad = structuredClone(GOOD) as Record<string, unknown> & { questions: Array<Record<string, unknown>> };
    bad.questions[0]!.type = "slider";
    bad.questions[1]!.topics = ["Z9"];
    const text = JSON.stringify(bad, null, 2);
    const run = await cli(["survey", "import", file("bad.json", text)]);
    expect(run.code).toBe(1);
    const lines = text.split("\n");
    const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    expect(run.err.some((l) => l.includes(`line ${lineOf('"type": "slider"')}:`))).toBe(true);
    expect(run.err.some((l) => l.includes(`line ${lineOf('"Z9"')}:`) && l.includes("not a catalogue topic"))).toBe(true);
    expect(run.err.at(-1)).toMatch(/2 problems, nothing imported/);

    const dup = structuredClone(GOOD);
    dup.questions[2]!.id = "useful";
    const dupText = JSON.stringify(dup, null, 2);
    const dupRun = await cli(["survey", "import", file("dup.json", dupText)]);
    const dupLine = dupText.split("\n").findLastIndex((l) => l.includes('"id": "useful"')) + 1;
    expect(dupRun.err[0]).toMatch(new RegExp(`line ${dupLine}: questions.2.id: question id "useful" is used twice`));
    expect(await QuestionSet.countDocuments({})).toBe(0);

    const broken = await cli(["survey", "import", file("broken.json", '{\n  "code": "x",\n  "version": 1,\n  oops\n}')]);
    expect(broken.code).toBe(1);
    expect(broken.err[0]).toMatch(/line 4: not valid JSON/);

    const missing = parseQuestionSet('{\n  "code": "ok-code",\n  "version": 1\n}');
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.problems.every((p) => p.line === 1)).toBe(true);

    const nofile = await cli(["survey", "import", join(dir, "nope.json")]);
    expect(nofile).toMatchObject({ code: 1 });
    expect(nofile.err[0]).toMatch(/cannot read/);
  });

  it("a good file is imported once; the same version with other content is refused; a built-in code needs a higher version", async () => {
    const path = file("good.json", JSON.stringify(GOOD, null, 2));
    expect((await cli(["survey", "import", path])).out).toEqual(['imported "parents-club" version 1']);
    expect((await cli(["survey", "import", path])).out[0]).toMatch(/already imported/);
    const changed = await cli(["survey", "import", file("changed.json", JSON.stringify({ ...GOOD, title: { ru: "Другое", en: "Other" } }))]);
    expect(changed.code).toBe(1);
    expect(changed.err.join("\n")).toMatch(/raise the version/);
    expect((await findSet("parents-club"))?.title.en).toBe("Parents' club");

    const builtIn = JSON.parse(readFileSync("src/domain/question-sets/adaptation.json", "utf8")) as Record<string, unknown>;
    expect((await cli(["survey", "import", file("adapt1.json", JSON.stringify(builtIn))])).code).toBe(1);
    expect((await cli(["survey", "import", file("adapt2.json", JSON.stringify({ ...builtIn, version: 2 }))])).code).toBe(0);
    expect((await findSet("adaptation"))?.version).toBe(2);

    const list = await cli(["survey", "list"]);
    expect(list.out[0]).toMatch(/^code\s+version/);
    expect(list.out.some((l) => /^parents-club\s+1\s+survey\s+all\s+anonymous/.test(l))).toBe(true);
  });
});
