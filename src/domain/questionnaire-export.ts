import { findInScope, readModels, scopeIds } from "../db/read-connection.ts";
import { ensurePeople, type DigestData } from "./digest.ts";
import { wallClock, type Cell, type ExportTranslate, type Sheet } from "./export.ts";
import { findSetVersion, setText, type QuestionSetDefinition } from "./question-sets.ts";
import type { ResponseLean } from "./questionnaires.ts";

/**
 * The «Анкетирование» sheet of the export (issue 16): one row per answer of every finished
 * questionnaire in the scope. Anonymous sets never name anyone (they keep no respondent);
 * people of organizations the curator does not see are not named either.
 */
const COLUMNS: Array<{ key: string; kind: Sheet["columns"][number]["kind"]; width: number }> = [
  { key: "no", kind: "number", width: 6 },
  { key: "qn-set", kind: "text", width: 36 },
  { key: "qn-occasion", kind: "text", width: 22 },
  { key: "qn-answered", kind: "datetime", width: 18 },
  { key: "organization", kind: "text", width: 30 },
  { key: "qn-respondent", kind: "text", width: 30 },
  { key: "qn-question", kind: "text", width: 50 },
  { key: "qn-answer", kind: "text", width: 40 },
  { key: "qn-score", kind: "number", width: 8 },
];

function occasionLabel(r: ResponseLean, t: ExportTranslate): string {
  if (r.campaignId) return t("xl-qn-occasion-campaign");
  const m = /^adapt:(\d+)$/.exec(r.occasion);
  if (m) return t("xl-qn-occasion-adaptation", { months: Number(m[1]) });
  if (r.occasion.startsWith("program-")) return t(`xl-qn-occasion-${r.occasion}`);
  return t("xl-qn-occasion-self");
}

export async function questionnaireSheet(data: DigestData, scope: readonly string[] | null, visible: Set<string>, t: ExportTranslate): Promise<Sheet> {
  const { SurveyResponse } = readModels();
  const rows = (await findInScope(scopeIds(scope), (f) => SurveyResponse.find(f).lean<ResponseLean[]>(), { status: "done" })).sort(
    (a, b) => (a.completedAt?.getTime() ?? 0) - (b.completedAt?.getTime() ?? 0) || a._id.toString().localeCompare(b._id.toString()),
  );
  await ensurePeople(data, rows.map((r) => r.respondentId));
  const sets = new Map<string, QuestionSetDefinition | null>();
  const out: Cell[][] = [];
  for (const r of rows) {
    const setKey = `${r.setCode}@${r.setVersion}`;
    if (!sets.has(setKey)) sets.set(setKey, await findSetVersion(r.setCode, r.setVersion));
    const set = sets.get(setKey);
    if (!set) continue;
    const orgId = r.organizationId?.toString() ?? "";
    const org = data.orgs.get(orgId);
    const zone = org?.timezone ?? "Europe/Moscow";
    const seen = visible.has(orgId);
    const person = r.respondentId ? data.people.get(r.respondentId.toString()) : undefined;
    const respondent = r.anonymous ? t("xl-qn-anonymous") : !r.respondentId || person?.erasedAt ? t("xl-erased") : seen ? (person?.profile?.fullName ?? "") : t("xl-hidden");
    for (const a of r.answers) {
      const q = set.questions.find((x) => x.id === a.q);
      if (!q) continue;
      const options = "options" in q ? q.options : [];
      const label = (id: string) => setText(options.find((o) => o.id === id)?.text ?? { ru: id, en: id }, "ru");
      const answer = a.skipped ? t("xl-qn-skipped") : a.choice ? label(a.choice) : a.choices ? a.choices.map(label).join("; ") : (a.text ?? "");
      out.push([out.length + 1, setText(set.title, "ru"), occasionLabel(r, t), wallClock(r.completedAt, zone), seen ? (org?.shortName ?? "") : t("xl-other-org"), respondent, setText(q.text, "ru"), answer, a.score ?? null]);
    }
  }
  return { id: "questionnaires", name: t("xl-sheet-questionnaires"), columns: COLUMNS.map((c) => ({ header: t(`xl-col-${c.key}`), kind: c.kind, width: c.width })), rows: out };
}
