import type { SceneContext, SceneConversation } from "../src/bot/context.ts";
import { escapeHtml } from "../src/core/html.ts";
import { parsePositionYears, POSITION_YEARS_MAX, REGISTRY_TEXT_MAX, registryFieldsOf, saveRegistryFields, type RegistryFields } from "../src/domain/mentor-registry.ts";
import { askBoundedText, sceneUser } from "./pickers.ts";

export const MENTOR_REGISTRY_SCENE = "mentor-registry";

/**
 * The mentor's registry data (seed 003): years in the position, achievements, training. Each
 * step can be skipped, which keeps what is stored; nothing is saved until the last answer.
 */
export async function mentorRegistryScene(conversation: SceneConversation, ctx: SceneContext): Promise<void> {
  const me = await sceneUser(conversation, ctx);
  if (!me) return;
  const { t } = me;
  const current = await conversation.external(() => registryFieldsOf(me.id));
  if (!current) {
    await ctx.reply(t("mentor-only"));
    return;
  }
  const shown = (v: string | number | undefined) => (v === undefined || v === "" ? t("mreg-empty") : escapeHtml(String(v)));
  await ctx.reply(
    t("mreg-intro", { years: shown(current.positionYears), achievements: shown(current.achievements), training: shown(current.training) }),
  );
  const fields: RegistryFields = {};
  for (;;) {
    const years = await askBoundedText(conversation, ctx, t, { prompt: t("mreg-ask-years"), min: 1, max: 20, errorKey: "text-length-error", skipData: "mreg:skip", skipLabel: t("mreg-keep") });
    if (years === undefined) break;
    const n = parsePositionYears(years);
    if (n !== undefined) {
      fields.positionYears = n;
      break;
    }
    await ctx.reply(t("mreg-error-years", { max: String(POSITION_YEARS_MAX) }));
  }
  const achievements = await askBoundedText(conversation, ctx, t, {
    prompt: t("mreg-ask-achievements"),
    min: 3,
    max: REGISTRY_TEXT_MAX,
    errorKey: "text-length-error",
    skipData: "mreg:skip",
    skipLabel: t("mreg-keep"),
  });
  if (achievements !== undefined) fields.achievements = achievements;
  const training = await askBoundedText(conversation, ctx, t, {
    prompt: t("mreg-ask-training"),
    min: 3,
    max: REGISTRY_TEXT_MAX,
    errorKey: "text-length-error",
    skipData: "mreg:skip",
    skipLabel: t("mreg-keep"),
  });
  if (training !== undefined) fields.training = training;
  const ok = await conversation.external(() => saveRegistryFields(me.id, fields));
  if (!ok) {
    await ctx.reply(t("mentor-only"));
    return;
  }
  const after = { ...current, ...fields };
  await ctx.reply(t("mreg-saved", { years: shown(after.positionYears), achievements: shown(after.achievements), training: shown(after.training) }));
}
