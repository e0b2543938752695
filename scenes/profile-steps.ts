import { sceneNow } from "../src/bot/scenes.ts";
import { InlineKeyboard } from "grammy";
import type { SceneContext, SceneConversation } from "../src/bot/context.ts";
import { EDUCATION_PROFILES, POSITIONS, QUALIFICATION_CATEGORIES } from "../models/index.ts";
import {
  isPosition,
  validateBirthYear,
  validateExperience,
  validateFullName,
  validatePositionOther,
  type ProfileDraft,
  type ProfileField,
  type Validation,
} from "../src/domain/registration.ts";
import { escapeHtml } from "../src/core/html.ts";
import { GENDERS, genderOf } from "../src/domain/russian.ts";
import { searchOrganizations } from "../src/domain/organizations.ts";
import { orgLabel } from "../src/domain/org-names.ts";

/** Translation bound to the dialog's chosen language. */
export type T = (key: string, args?: Record<string, string | number>) => string;

/** Builds a keyboard of `[label, data]` buttons, `perRow` to a row. */
export function choiceKeyboard(items: Array<[label: string, data: string]>, perRow = 2): InlineKeyboard {
  const kb = new InlineKeyboard();
  items.forEach(([label, data], i) => {
    kb.text(label, data);
    if ((i + 1) % perRow === 0) kb.row();
  });
  return kb;
}

async function askText<V>(
  conversation: SceneConversation,
  ctx: SceneContext,
  t: T,
  prompt: string,
  validate: (text: string) => Validation<V>,
): Promise<V> {
  await ctx.reply(prompt);
  for (;;) {
    const answer = await conversation.waitFor("message:text", { otherwise: (c) => c.reply(t("dialog-text-expected")) });
    const result = validate(answer.message.text);
    if (result.ok) return result.value;
    await answer.reply(t(result.error));
  }
}

async function askChoice<C extends string>(
  conversation: SceneConversation,
  ctx: SceneContext,
  t: T,
  prompt: string,
  prefix: string,
  codes: readonly C[],
  labelKey: string,
): Promise<C> {
  await ctx.reply(prompt, { reply_markup: choiceKeyboard(codes.map((c) => [t(`${labelKey}-${c}`), `${prefix}:${c}`])) });
  const pattern = new RegExp(`^${prefix}:(${codes.join("|")})$`);
  const pressed = await conversation.waitForCallbackQuery(pattern, { otherwise: (c) => c.reply(t("dialog-use-buttons")) });
  await pressed.answerCallbackQuery();
  const code = pressed.match[1] as C;
  await pressed.editMessageText(`${prompt}\n<b>${escapeHtml(t(`${labelKey}-${code}`))}</b>`);
  return code;
}

/** Asks one profile question with validation; wrong input gets a polite `otherwise` answer. */
export async function askProfileField(
  conversation: SceneConversation,
  ctx: SceneContext,
  t: T,
  field: ProfileField,
  draft: ProfileDraft,
): Promise<void> {
  const now = await sceneNow(conversation, ctx);
  switch (field) {
    case "fullName":
      draft.fullName = await askText(conversation, ctx, t, t("profile-ask-fullName"), validateFullName);
      return;
    case "birthYear":
      draft.birthYear = await askText(conversation, ctx, t, t("profile-ask-birthYear"), (x) => validateBirthYear(x, now));
      return;
    case "experienceYears":
      draft.experienceYears = await askText(conversation, ctx, t, t("profile-ask-experienceYears"), validateExperience);
      return;
    case "position": {
      const code = await askChoice(conversation, ctx, t, t("profile-ask-position"), "pf:pos", POSITIONS, "position");
      if (!isPosition(code)) return;
      draft.position = code;
      if (code === "other") draft.positionOther = await askText(conversation, ctx, t, t("profile-ask-positionOther"), validatePositionOther);
      else delete draft.positionOther;
      return;
    }
    case "qualificationCategory":
      draft.qualificationCategory = await askChoice(
        conversation,
        ctx,
        t,
        t("profile-ask-qualificationCategory"),
        "pf:cat",
        QUALIFICATION_CATEGORIES,
        "category",
      );
      return;
    case "educationProfile":
      draft.educationProfile = await askChoice(conversation, ctx, t, t("profile-ask-educationProfile"), "pf:edu", EDUCATION_PROFILES, "education");
      return;
    case "gender":
      draft.gender = await askChoice(conversation, ctx, t, t("profile-ask-gender"), "pf:gen", GENDERS, "profile-gender");
      return;
  }
}

/** The profile as lines for a summary, user-supplied values escaped. */
export function profileLines(t: T, draft: ProfileDraft, fields: ProfileField[]): string[] {
  const lines: string[] = [];
  for (const f of fields) {
    let value: string | undefined;
    switch (f) {
      case "fullName":
        value = draft.fullName && escapeHtml(draft.fullName);
        break;
      case "birthYear":
        value = draft.birthYear?.toString();
        break;
      case "experienceYears":
        value = draft.experienceYears === undefined ? undefined : t("profile-years", { n: draft.experienceYears });
        break;
      case "position":
        value = draft.position === "other" ? escapeHtml(draft.positionOther ?? "") : draft.position && t(`position-${draft.position}`);
        break;
      case "qualificationCategory":
        value = draft.qualificationCategory && t(`category-${draft.qualificationCategory}`);
        break;
      case "educationProfile":
        value = draft.educationProfile && t(`education-${draft.educationProfile}`);
        break;
      case "gender": {
        // Unset: the gender read from the patronymic, marked as detected so the person can correct it.
        const g = genderOf(draft);
        value = draft.gender ? t(`profile-gender-${draft.gender}`) : g ? t("profile-gender-detected", { gender: t(`profile-gender-${g}`) }) : undefined;
        break;
      }
    }
    lines.push(`${t(`profile-label-${f}`)}: ${value ?? "—"}`);
  }
  return lines;
}

const PAGE_SIZE = 5;

/** Organization search for self-registration: type a name, pick from a paged list. */
export async function pickOrganization(
  conversation: SceneConversation,
  ctx: SceneContext,
  t: T,
): Promise<{ id: string; name: string }> {
  await ctx.reply(t("org-search-ask"));
  for (;;) {
    const q = await conversation.waitFor("message:text", { otherwise: (c) => c.reply(t("dialog-text-expected")) });
    const query = q.message.text.trim().slice(0, 200);
    let page = 1;
    for (;;) {
      const found = await conversation.external(async () => {
        const r = await searchOrganizations(query, { page, pageSize: PAGE_SIZE });
        return { total: r.total, pages: r.pages, items: r.items.map((o) => ({ id: o.id, name: o.shortName, label: orgLabel(o) })) };
      });
      if (found.total === 0) {
        await q.reply(t("org-search-none", { query: escapeHtml(query) }));
        break;
      }
      const kb = new InlineKeyboard();
      for (const item of found.items) kb.text(item.label, `pf:org:${item.id}`).row();
      if (page > 1) kb.text("◀️", `pf:orgp:${page - 1}`);
      if (page < found.pages) kb.text("▶️", `pf:orgp:${page + 1}`);
      kb.row().text(t("org-search-again"), "pf:orgs");
      await q.reply(t("org-search-results", { total: found.total, page, pages: found.pages }), { reply_markup: kb });
      const pick = await conversation.waitForCallbackQuery(/^pf:(org:[0-9a-f]{24}|orgp:\d{1,4}|orgs)$/, {
        otherwise: (c) => c.reply(t("dialog-use-buttons")),
      });
      await pick.answerCallbackQuery();
      const data = pick.match[1] as string;
      if (data === "orgs") {
        await pick.reply(t("org-search-ask"));
        break;
      }
      if (data.startsWith("orgp:")) {
        page = Math.max(1, Math.min(found.pages, Number(data.slice(5))));
        continue;
      }
      const chosen = found.items.find((i) => i.id === data.slice(4));
      if (chosen) {
        await pick.editMessageText(t("org-chosen", { name: escapeHtml(chosen.label) }));
        return { id: chosen.id, name: chosen.name };
      }
      await pick.reply(t("dialog-use-buttons"));
    }
  }
}
