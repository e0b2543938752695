import { describe, expect, it } from "vitest";
import { FluentBundle, FluentResource } from "@fluent/bundle";
import { localeSource } from "../src/bot/i18n.ts";
import { declineName, formatDecimal, genderArg, genderFromName, nameIn } from "../src/domain/russian.ts";

const PEOPLE = {
  female: "Лебедева Дарья Олеговна",
  male: "Соколов Артём Ильич",
} as const;
/** Variables that carry a person's name in the nominative. */
const NAME_VARS = new Set(["name", "mentor", "mentee", "who", "with", "host", "by", "author", "partner"]);
const PREPOSITION_BEFORE = /(?:^|[\s«(—-])(?:с|со|у|к|ко|для|от|о|об|обо|про|между|при|без|за|перед|над|под)\s+$/i;

function render(gender: "female" | "male"): Array<{ id: string; text: string; namedAfterPreposition: boolean }> {
  const source = localeSource("ru");
  const bundle = new FluentBundle("ru", { useIsolating: false });
  expect(bundle.addResource(new FluentResource(source))).toEqual([]);
  const ids = [...source.matchAll(/^([a-z][a-z0-9-]*)\s*=/gm)].map((m) => m[1] as string);
  const out: Array<{ id: string; text: string; namedAfterPreposition: boolean }> = [];
  for (const id of ids) {
    const body = source.slice(source.indexOf(`${id} =`)).split(/\n(?=[a-z#])/)[0] ?? "";
    const vars = [...new Set([...body.matchAll(/\{\s*\$([a-zA-Z_]+)/g)].map((m) => m[1] as string))];
    const args: Record<string, string | number> = {};
    const marker = "\u0001NAME\u0001";
    for (const v of vars) {
      if (v === "gender" || v.endsWith("Gender")) args[v] = gender;
      else if (NAME_VARS.has(v)) args[v] = marker;
      else if (v === "nameIns") args[v] = declineName(PEOPLE[gender], "instrumental");
      else args[v] = 3;
    }
    const msg = bundle.getMessage(id);
    if (!msg?.value) continue;
    const errors: Error[] = [];
    const raw = bundle.formatPattern(msg.value, args, errors);
    // A nominative name right after a preposition reads wrong ("с Лебедева Дарья Олеговна").
    const namedAfterPreposition = raw.split(marker).slice(0, -1).some((before) => PREPOSITION_BEFORE.test(before));
    out.push({ id, text: raw.split(marker).join(PEOPLE[gender]), namedAfterPreposition });
  }
  return out;
}

describe("Russian as a colleague writes it", () => {
  for (const gender of ["female", "male"] as const) {
    it(`every ru message reads without "(а)" forms and nominative names after prepositions (${gender} user)`, () => {
      const rendered = render(gender);
      expect(rendered.length).toBeGreaterThan(500);
      const slashForms = rendered.filter((r) => /\((а|на|ла|ы|-ась|ась|ся|ен)\)/.test(r.text)).map((r) => `${r.id}: ${r.text}`);
      expect(slashForms).toEqual([]);
      expect(rendered.filter((r) => r.namedAfterPreposition).map((r) => r.id)).toEqual([]);
    });
  }

  it("the gender selectors pick the person's endings", () => {
    const bundle = new FluentBundle("ru", { useIsolating: false });
    bundle.addResource(new FluentResource(localeSource("ru")));
    const fmt = (id: string, args: Record<string, string>) => bundle.formatPattern(bundle.getMessage(id)!.value!, args);
    const consent = (profile: { fullName: string; gender?: string }) => fmt("pair-consent-text", { gender: genderArg(profile), name: profile.fullName, role: "mentor", organization: "ДС", partner: "—", kind: "—", term: "—" });
    expect(consent({ fullName: PEOPLE.female })).toContain(`Я, ${PEOPLE.female}, согласна на закрепление`);
    expect(consent({ fullName: PEOPLE.male })).toContain(`Я, ${PEOPLE.male}, согласен на закрепление`);
    // The profile's own choice overrides the patronymic.
    expect(consent({ fullName: PEOPLE.female, gender: "male" })).toContain("согласен на закрепление");
    expect(fmt("pair-consent-agree", { gender: "female" })).toBe("✅ Согласна");
    expect(fmt("pair-consent-agree", { gender: "male" })).toBe("✅ Согласен");
    expect(fmt("program-confirmed-by-mentee", { name: PEOPLE.male, nameGender: "male" })).toContain("Ильич подтвердил программу");
    expect(fmt("pair-ended", { nameIns: nameIn({ profile: { fullName: PEOPLE.female } }, "instrumental", "ru") })).toContain(
      "Наставничество с Лебедевой Дарьей Олеговной завершено",
    );
  });

  it("gender comes from the patronymic, names decline, decimals use a comma", () => {
    expect(genderFromName("Лебедева Дарья Олеговна")).toBe("female");
    expect(genderFromName("Соколов Артём Ильич")).toBe("male");
    expect(genderFromName("Мамедова Лейла Рашид кызы")).toBe("female");
    expect(genderFromName("Коваль Саша")).toBeUndefined();
    expect(genderArg({ fullName: "Коваль Саша" })).toBe("female");
    expect(declineName("Соколов Артём Ильич", "instrumental")).toBe("Соколовым Артёмом Ильичом");
    expect(declineName("Лебедева Дарья Олеговна", "genitive")).toBe("Лебедевой Дарьи Олеговны");
    expect(nameIn({ profile: { fullName: "Соколов Артём Ильич" } }, "instrumental", "en")).toBe("Соколов Артём Ильич");
    expect(formatDecimal(4.5, "ru")).toBe("4,5");
    expect(formatDecimal(5, "ru")).toBe("5,0");
    expect(formatDecimal(4.5, "en")).toBe("4.5");
  });
});
