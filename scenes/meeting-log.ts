import type { SceneContext, SceneConversation } from "../src/bot/context.ts";
import { Meeting, User } from "../models/index.ts";
import { isLocale } from "../src/bot/i18n.ts";
import { sceneNow } from "../src/bot/scenes.ts";
import { logHeld, logMissed, logSummaryNotices, type MeetingDeps } from "../src/domain/meetings.ts";
import type { T } from "./profile-steps.ts";
import { askBoundedText, askMulti } from "./pickers.ts";
import { InlineKeyboard } from "grammy";
import { surveyNotices } from "../src/domain/surveys.ts";
import { notify } from "../src/bot/notify.ts";
import { findRegisteredUser } from "../src/db/user-cache.ts";

export const MEETING_LOG_SCENE = "meeting-log";

function deps(ctx: SceneContext): MeetingDeps {
  return ctx.services.meetingDeps;
}

/**
 * The host's log after a meeting: "held" → what was covered, the next step, an optional
 * attachment; "missed" → who did not come.
 */
export async function meetingLogScene(conversation: SceneConversation, ctx: SceneContext, meetingId: string, outcome: "held" | "missed"): Promise<void> {
  const telegramId = ctx.from?.id;
  const info = await conversation.external(async () => {
    const u = await findRegisteredUser(telegramId);
    const m = await Meeting.findById(meetingId).lean();
    if (!u || !m || !m.hostId.equals(u._id) || m.status !== "confirmed") return null;
    const participants = await User.find({ _id: { $in: m.participantIds } }, { profile: 1 }).lean();
    return {
      userId: u._id.toString(),
      locale: u.locale ?? "ru",
      participants: participants.map((p) => ({ id: p._id.toString(), name: p.profile?.fullName ?? "—" })),
    };
  });
  if (!info) {
    await ctx.reply(ctx.t("meeting-not-yours"));
    return;
  }
  const locale = isLocale(info.locale) ? info.locale : ctx.services.config.defaultLocale;
  const t: T = (key, a) => ctx.services.t(locale, key, a);

  if (outcome === "missed") {
    const absent = await askMulti(conversation, ctx, t, {
      prompt: t("meeting-ask-absent"),
      prefix: "ml:ab",
      options: info.participants.map((p) => ({ code: p.id, label: p.name })),
      min: 1,
      perRow: 1,
    });
    const now = await sceneNow(conversation, ctx);
    const ok = await conversation.external(() => logMissed(meetingId, info.userId, absent.selected, now, deps(ctx)));
    await ctx.reply(t(ok ? "meeting-logged-missed" : "meeting-not-yours"));
    return;
  }
  const covered = (await askBoundedText(conversation, ctx, t, { prompt: t("meeting-ask-covered"), min: 3, max: 1000, errorKey: "text-length-error" })) as string;
  const nextStep = await askBoundedText(conversation, ctx, t, {
    prompt: t("meeting-ask-next-step"),
    min: 2,
    max: 500,
    errorKey: "text-length-error",
    skipData: "ml:skip1",
  });
  await ctx.reply(t("meeting-ask-attachment"), { reply_markup: new InlineKeyboard().text(t("picker-skip"), "ml:skip2") });
  let attachmentFileId: string | undefined;
  let attachmentKind: "document" | "photo" | undefined;
  for (;;) {
    const answer = await conversation.wait();
    if (answer.callbackQuery?.data === "ml:skip2") {
      await answer.answerCallbackQuery();
      break;
    }
    const fileId = answer.message?.document?.file_id ?? answer.message?.photo?.at(-1)?.file_id;
    if (fileId) {
      attachmentFileId = fileId;
      attachmentKind = answer.message?.document ? "document" : "photo";
      break;
    }
    if (answer.callbackQuery) await answer.answerCallbackQuery();
    await answer.reply(t("meeting-attachment-expected"));
  }
  const now = await sceneNow(conversation, ctx);
  const ok = await conversation.external(() => logHeld(meetingId, info.userId, { covered, nextStep, attachmentFileId, attachmentKind }, now, deps(ctx)));
  // Once logged as held: the summary of the log to the other side (issue 11), then the survey (issue 6;
  // the host's reflection prompt just before the thanks).
  if (ok) await conversation.external(async () => notify(ctx, [...(await logSummaryNotices(meetingId)), ...(await surveyNotices(meetingId))]));
  await ctx.reply(t(ok ? "meeting-logged-held" : "meeting-not-yours"));
}
