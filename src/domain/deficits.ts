import { DeficitTopic } from "../../models/index.ts";
import { bulkWriteInChunks } from "../db/bulk.ts";

/**
 * Catalogue of typical professional deficits / request topics (domain brief §5): 25 items in
 * 7 groups. Mentors' competences use the same codes, so matching compares codes.
 */
export interface DeficitGroup {
  code: string;
  ru: string;
  en: string;
}

export interface DeficitItem {
  code: string;
  group: string;
  ru: string;
  en: string;
}

export const DEFICIT_GROUPS: DeficitGroup[] = [
  { code: "A", ru: "Нормативная база, программы, планирование", en: "Regulations, programs, planning" },
  { code: "B", ru: "Организация образовательного процесса", en: "Organizing the educational process" },
  { code: "C", ru: "Инклюзия", en: "Inclusion" },
  { code: "D", ru: "Взаимодействие с семьёй", en: "Families" },
  { code: "E", ru: "Цифровые компетенции", en: "Digital competence" },
  { code: "F", ru: "Профессиональный рост", en: "Career and professional growth" },
  { code: "G", ru: "Личностные, психологические", en: "Personal and psychological" },
];

export const DEFICIT_CATALOGUE: DeficitItem[] = [
  { code: "A1", group: "A", ru: "Реализация ФГОС ДО и ФОП ДО, рабочая программа группы", en: "Implementing the FSES and the federal program of preschool education (ФГОС ДО, ФОП ДО), the group's work program" },
  { code: "A2", group: "A", ru: "Календарно-тематическое планирование", en: "Calendar-thematic and weekly planning" },
  { code: "A3", group: "A", ru: "Ведение документации группы", en: "Keeping the group's documentation" },
  { code: "A4", group: "A", ru: "Педагогическая диагностика развития детей", en: "Pedagogical diagnostics of children's development" },
  { code: "B1", group: "B", ru: "Подготовка и проведение занятий", en: "Planning and running classes" },
  { code: "B2", group: "B", ru: "Организация режимных моментов", en: "Organizing routine moments" },
  { code: "B3", group: "B", ru: "Развивающая предметно-пространственная среда (РППС)", en: "Developing subject-spatial environment (РППС)" },
  { code: "B4", group: "B", ru: "Игровая и проектная деятельность", en: "Play-based and project activities" },
  { code: "B5", group: "B", ru: "Поддержка способностей и талантов детей", en: "Supporting children's abilities and talents" },
  { code: "B6", group: "B", ru: "Воспитательная работа, патриотическое воспитание", en: "Upbringing, moral and patriotic education" },
  { code: "C1", group: "C", ru: "Инклюзивное образование, дети с ОВЗ, ИОМ", en: "Inclusive education, special needs, individual routes" },
  { code: "D1", group: "D", ru: "Взаимодействие с родителями", en: "Working with parents" },
  { code: "D2", group: "D", ru: "Конфликты с родителями: профилактика и разрешение", en: "Preventing and resolving conflicts with parents" },
  { code: "E1", group: "E", ru: "Цифровые технологии в образовательном процессе", en: "Digital technologies in the educational process" },
  { code: "E2", group: "E", ru: "Презентации и видеоролики", en: "Presentations and videos" },
  { code: "E3", group: "E", ru: "Интерактивное оборудование", en: "Interactive equipment" },
  { code: "E4", group: "E", ru: "ГИС, интернет-ресурсы, сайт педагога", en: "Information systems, online platforms, teacher's website" },
  { code: "F1", group: "F", ru: "Портфолио педагога", en: "The teacher's portfolio" },
  { code: "F2", group: "F", ru: "Подготовка к аттестации", en: "Preparing for attestation" },
  { code: "F3", group: "F", ru: "Конкурсы профессионального мастерства", en: "Professional skill contests" },
  { code: "F4", group: "F", ru: "Самообразование, ИОМ, трансляция опыта", en: "Self-education, individual route, sharing experience" },
  { code: "G1", group: "G", ru: "Низкая самооценка своей деятельности", en: "Low self-assessment of one's own work" },
  { code: "G2", group: "G", ru: "Низкая мотивация на результат", en: "Low motivation for results" },
  { code: "G3", group: "G", ru: "Эмоциональное выгорание", en: "Emotional burnout and stress" },
  { code: "G4", group: "G", ru: "Адаптация в коллективе и организации", en: "Adaptation to the team and the organization" },
];

/** Loads the catalogue idempotently: inserts missing codes and refreshes labels, never duplicates. */
export async function seedDeficitCatalogue(): Promise<number> {
  // One read, then writes only for what differs: a start on an unchanged catalogue writes nothing
  // (25 upserts cost about 0.3 s of every start on FerretDB).
  const stored = new Map((await DeficitTopic.find({}, { code: 1, group: 1, order: 1, labelRu: 1, labelEn: 1 }).lean()).map((t) => [t.code, t]));
  const changed = DEFICIT_CATALOGUE.map((item, order) => ({ item, order })).filter(({ item, order }) => {
    const t = stored.get(item.code);
    return !t || t.group !== item.group || t.order !== order || t.labelRu !== item.ru || t.labelEn !== item.en;
  });
  if (changed.length === 0) return 0;
  const res = await bulkWriteInChunks(
    DeficitTopic,
    changed.map(({ item, order }) => ({
      updateOne: {
        filter: { code: item.code },
        update: { $set: { group: item.group, order, labelRu: item.ru, labelEn: item.en }, $setOnInsert: { code: item.code, active: true } },
        upsert: true,
      },
    })),
  );
  return res.upserted;
}

/** The catalogue label of a deficit code in the reader's language (the code itself when unknown). */
export function topicLabel(code: string, locale: string): string {
  const item = DEFICIT_CATALOGUE.find((d) => d.code === code);
  return item ? (locale === "en" ? item.en : item.ru) : code;
}
