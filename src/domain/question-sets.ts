import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { QuestionSet } from "../../models/index.ts";
import { DEFICIT_CATALOGUE } from "./deficits.ts";

/**
 * Question sets (issue 16): surveys, diagnostics and forms as versioned data. The built-in sets
 * live as JSON files in `src/domain/question-sets/`; curators and admins add more through the CLI
 * (`survey import <file>`), stored in the `questionsets` collection. A campaign keeps a copy of the
 * set it was sent with, so a newer version never changes the meaning of old answers.
 */

const text = z.object({ ru: z.string().trim().min(1).max(500), en: z.string().trim().min(1).max(500) }).strict();
const id = z.string().regex(/^[a-z0-9_]{1,16}$/, "an id is 1–16 characters: a–z, 0–9, _");
const topicCodes = new Set(DEFICIT_CATALOGUE.map((d) => d.code));
const topics = z
  .array(z.string().refine((c) => topicCodes.has(c), { message: "not a catalogue topic (A1…G4, see src/domain/deficits.ts)" }))
  .max(5)
  .optional();
const option = z.object({ id, text: text.extend({ ru: z.string().trim().min(1).max(60), en: z.string().trim().min(1).max(60) }) }).strict();
const base = { id, text, topics, optional: z.boolean().optional() };

export const questionSchema = z.discriminatedUnion("type", [
  z.object({ ...base, type: z.literal("scale"), low: text.optional(), high: text.optional() }).strict(),
  z.object({ ...base, type: z.literal("single"), options: z.array(option).min(2).max(10) }).strict(),
  z.object({ ...base, type: z.literal("multiple"), options: z.array(option).min(2).max(10), max: z.number().int().min(1).max(10).optional() }).strict(),
  z.object({ ...base, type: z.literal("text"), maxLength: z.number().int().min(10).max(1000).optional() }).strict(),
]);

export const SET_KINDS = ["survey", "diagnostic", "adaptation", "satisfaction", "form"] as const;
export const AUDIENCES = ["mentee", "mentor", "all"] as const;

export const questionSetSchema = z
  .object({
    code: z.string().regex(/^[a-z0-9_-]{2,32}$/, "a code is 2–32 characters: a–z, 0–9, _ and -"),
    version: z.number().int().min(1).max(9999),
    kind: z.enum(SET_KINDS),
    audience: z.enum(AUDIENCES),
    anonymous: z.boolean(),
    title: text,
    intro: text.optional(),
    /** Diagnostic: a topic whose average score is at most this becomes a suggested deficit. */
    lowScore: z.number().min(1).max(5).optional(),
    questions: z.array(questionSchema).min(1).max(60),
  })
  .strict()
  .superRefine((set, ctx) => {
    const seen = new Set<string>();
    set.questions.forEach((q, i) => {
      if (seen.has(q.id)) ctx.addIssue({ code: "custom", path: ["questions", i, "id"], message: `question id "${q.id}" is used twice` });
      seen.add(q.id);
      if ("options" in q) {
        const ids = new Set<string>();
        q.options.forEach((o, j) => {
          if (ids.has(o.id)) ctx.addIssue({ code: "custom", path: ["questions", i, "options", j, "id"], message: `option id "${o.id}" is used twice` });
          ids.add(o.id);
        });
        if (q.type === "multiple" && q.max !== undefined && q.max > q.options.length)
          ctx.addIssue({ code: "custom", path: ["questions", i, "max"], message: "max is more than the number of options" });
      }
    });
    if (set.kind === "diagnostic") {
      if (set.lowScore === undefined) ctx.addIssue({ code: "custom", path: ["lowScore"], message: "a diagnostic needs lowScore (1–5)" });
      if (!set.questions.some((q) => q.type === "scale" && q.topics?.length))
        ctx.addIssue({ code: "custom", path: ["questions"], message: "a diagnostic needs scale questions mapped to topics" });
    }
    if (set.kind === "adaptation" || set.kind === "satisfaction") {
      if (!set.questions.some((q) => q.type === "scale")) ctx.addIssue({ code: "custom", path: ["questions"], message: `a ${set.kind} set needs scale questions` });
    }
  });

export type QuestionSetDefinition = z.infer<typeof questionSetSchema>;
export type Question = z.infer<typeof questionSchema>;
export type SetKind = (typeof SET_KINDS)[number];

/** A problem in a set file: a message and, when known, the 1-based line. */
export interface SetProblem {
  line?: number;
  path: string;
  message: string;
}

export type ParsedSet = { ok: true; set: QuestionSetDefinition } | { ok: false; problems: SetProblem[] };

/** 1-based line of a character offset. */
function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < source.length; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Where each value of a (valid) JSON text starts: "questions/2/options/0/id" → offset. A small
 * scanner of JSON's grammar; keys map to the offset of the key, so an error about a member points
 * at its line.
 */
export function jsonValueOffsets(source: string): Map<string, number> {
  const offsets = new Map<string, number>();
  let i = 0;
  const ws = () => {
    while (i < source.length && /\s/.test(source[i] as string)) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < source.length && source[i] !== '"') i += source[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(source.slice(start, i)) as string;
  };
  const value = (path: string[]): void => {
    ws();
    const key = path.join("/");
    if (!offsets.has(key)) offsets.set(key, i);
    const c = source[i];
    if (c === "{") {
      i++;
      ws();
      if (source[i] === "}") return void i++;
      for (;;) {
        ws();
        const at = i;
        const name = str();
        offsets.set([...path, name].join("/"), at);
        ws();
        i++; // :
        value([...path, name]);
        ws();
        if (source[i++] === "}") return;
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (source[i] === "]") return void i++;
      for (let n = 0; ; n++) {
        value([...path, String(n)]);
        ws();
        if (source[i++] === "]") return;
      }
    }
    if (c === '"') return void str();
    while (i < source.length && /[^\s,\]}]/.test(source[i] as string)) i++;
  };
  value([]);
  return offsets;
}

/** Parses and validates a set from JSON text; every problem carries the line it is on. */
export function parseQuestionSet(source: string): ParsedSet {
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch (err) {
    const message = (err as Error).message;
    const lineMatch = /line (\d+)/.exec(message);
    const posMatch = /position (\d+)/.exec(message);
    const line = lineMatch ? Number(lineMatch[1]) : posMatch ? lineAt(source, Number(posMatch[1])) : undefined;
    return { ok: false, problems: [{ line, path: "", message: `not valid JSON: ${message.replace(/\s*\(line \d+ column \d+\)/, "")}` }] };
  }
  const res = questionSetSchema.safeParse(data);
  if (res.success) return { ok: true, set: res.data };
  const offsets = jsonValueOffsets(source);
  const problems = res.error.issues.map((issue) => {
    const path = issue.path.map(String);
    // The nearest enclosing value that exists in the text (a missing key points at its object).
    let at: number | undefined;
    for (let n = path.length; n >= 0 && at === undefined; n--) at = offsets.get(path.slice(0, n).join("/"));
    return { line: at === undefined ? undefined : lineAt(source, at), path: path.join("."), message: issue.message };
  });
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { ok: false, problems };
}

/** "line 12: questions.3.type: …" lines for a person. */
export function describeProblems(problems: SetProblem[]): string[] {
  return problems.map((p) => `${p.line ? `line ${p.line}: ` : ""}${p.path ? `${p.path}: ` : ""}${p.message}`);
}

const BUILT_IN_DIR = join(dirname(fileURLToPath(import.meta.url)), "question-sets");

let builtIns: QuestionSetDefinition[] | undefined;

/** The sets shipped with the code (validated; a broken file fails loudly at start). */
export function builtInSets(): QuestionSetDefinition[] {
  if (builtIns) return builtIns;
  const out: QuestionSetDefinition[] = [];
  for (const file of readdirSync(BUILT_IN_DIR).filter((f) => f.endsWith(".json")).sort()) {
    const parsed = parseQuestionSet(readFileSync(join(BUILT_IN_DIR, file), "utf8"));
    if (!parsed.ok) throw new Error(`question set ${file}: ${describeProblems(parsed.problems).join("; ")}`);
    out.push(parsed.set);
  }
  builtIns = out;
  return out;
}

export type ImportResult = { ok: true; code: string; version: number; created: boolean } | { ok: false; problems: SetProblem[] };

/** Stores an imported set; a code+version already taken by different content is refused (raise the version). */
export async function importQuestionSet(source: string, importedBy: string, now: Date): Promise<ImportResult> {
  const parsed = parseQuestionSet(source);
  if (!parsed.ok) return parsed;
  const set = parsed.set;
  const definition = JSON.stringify(set);
  const builtIn = builtInSets().find((s) => s.code === set.code && s.version >= set.version);
  if (builtIn) return { ok: false, problems: [{ path: "version", message: `set "${set.code}" is built in up to version ${builtIn.version}; use a higher version` }] };
  const existing = await QuestionSet.findOne({ code: set.code, version: set.version }).lean();
  if (existing) {
    if (existing.definition === definition) return { ok: true, code: set.code, version: set.version, created: false };
    return { ok: false, problems: [{ path: "version", message: `version ${set.version} of "${set.code}" already exists with other content; raise the version` }] };
  }
  await QuestionSet.create({ code: set.code, version: set.version, kind: set.kind, definition, importedBy, importedAt: now });
  return { ok: true, code: set.code, version: set.version, created: true };
}

/** Every available set, newest version of each code: built-in ones and imported ones. */
export async function availableSets(): Promise<QuestionSetDefinition[]> {
  const byCode = new Map<string, QuestionSetDefinition>();
  for (const s of builtInSets()) byCode.set(s.code, s);
  for (const doc of await QuestionSet.find({}).lean()) {
    const s = JSON.parse(doc.definition) as QuestionSetDefinition;
    const have = byCode.get(s.code);
    if (!have || have.version < s.version) byCode.set(s.code, s);
  }
  return [...byCode.values()];
}

/** The newest version of a set by code, or null. */
export async function findSet(code: string): Promise<QuestionSetDefinition | null> {
  return (await availableSets()).find((s) => s.code === code) ?? null;
}

/** A text of a set in the reader's language. */
export function setText(t: { ru: string; en: string }, locale: string): string {
  return locale === "en" ? t.en : t.ru;
}

/** One exact version of a set (answers refer to it), or null. */
export async function findSetVersion(code: string, version: number): Promise<QuestionSetDefinition | null> {
  const builtIn = builtInSets().find((s) => s.code === code && s.version === version);
  if (builtIn) return builtIn;
  const doc = await QuestionSet.findOne({ code, version }).lean();
  return doc ? (JSON.parse(doc.definition) as QuestionSetDefinition) : null;
}
