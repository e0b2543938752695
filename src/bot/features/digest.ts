import { Composer, InlineKeyboard, InputFile } from "grammy";
import { createChatActionsController } from "@grammyjs/auto-chat-action";
import type { BotContext } from "../context.ts";
import { escapeHtml } from "../../core/html.ts";
import { DigestPreference, Organization } from "../../../models/index.ts";
import { digestWindow, loadDigestData, visibleFor, type DigestData, type Period } from "../../domain/digest.ts";
import { kindergartenFigures } from "../../domain/digest-figures.ts";
import { customPeriod, PERIOD_KINDS, periodOf, rollingWeek, type PeriodKind } from "../../domain/digest-periods.ts";
import { digestRecipients, recipientCovers, type DigestRecipient } from "../../domain/digest-recipients.ts";
import { scopeExport, scopeFigures, ScopeTooLarge, type FiguresRequest, type ScopeFigures } from "../../domain/digest-thread.ts";
import { orderDocx, organizationsWithPairs, reportDocx } from "../../domain/documents/index.ts";
import { DateTime } from "luxon";
import { sendReportExtras } from "../../messaging/report-extras.ts";
import {
  drillButtons,
  DRILL_MAX,
  mentorListMessages,
  orgListMessages,
  periodData,
  periodFromData,
  riskListMessages,
  scopeLabel,
  sendDigest,
  type DigestViewOptions,
} from "../../messaging/digest-view.ts";
import { SETTINGS_DAILY_DATA, SETTINGS_INSTANT_DATA } from "../../messaging/curator-list.ts";
import { organizationById } from "../../db/organization-cache.ts";

/**
 * Curator and admin tools of issue 7: `/digest` (the weekly digest now), `/report` (a chosen
 * period, with the program indicators), `/export` (XLSX workbook or CSV files), the digest's
 * buttons and the digest settings. Every command and button re-reads the person's roles and
 * scope on the server; nothing in callback data is trusted beyond picking an action.
 */

async function recipient(ctx: BotContext): Promise<DigestRecipient | undefined> {
  if (!ctx.user || !ctx.user.registeredAt || ctx.user.erasedAt) return undefined;
  const [r] = await digestRecipients(ctx.services.config.adminIds, ctx.user._id.toString());
  return r;
}

async function refuse(ctx: BotContext): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("dg-not-allowed"), show_alert: true });
  else await ctx.reply(ctx.t("dg-not-allowed"));
}

/** A drill-down button named an organization outside the presser's scope (now): a polite alert, nothing else. */
async function refuseDrill(ctx: BotContext): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("nw-drill-refused"), show_alert: true });
  else await ctx.reply(ctx.t("nw-drill-refused"));
}

/** What a digest, report, list or export of a person's scope needs to render. */
interface Prepared {
  r: DigestRecipient;
  scope: DigestRecipient["scope"];
  label: string;
  now: Date;
  data: DigestData;
  locale: string;
  t: (key: string, args?: Record<string, string | number>) => string;
}

/** Above this many kindergartens in a scope, the person is told that collecting takes a while. */
const LARGE_SCOPE = 50;

/** Telegram takes files from a bot up to 50 MB (tests lower it). */
export const uploadLimit = { bytes: 50 * 1024 * 1024 };

/**
 * Keeps Telegram's "typing…" (or "sending a file…") shown while `work` runs: a region's data takes
 * tens of seconds to read on the embedded database, and one chat action lasts only 5 seconds.
 */
async function showingAction(ctx: BotContext, action: "typing" | "upload_document", work: () => Promise<void>): Promise<void> {
  const chat = ctx.chat?.id;
  if (chat === undefined) return work();
  const actions = createChatActionsController(ctx.api);
  actions.startSending(chat, [action]);
  try {
    await work();
  } finally {
    actions.stopSending(chat);
  }
}

/**
 * Reads the person's scope and runs `work` with what rendering needs, or refuses (then `work` does
 * not run). With `drill`, the view narrows to that one kindergarten (a network curator's
 * drill-down), after checking that the scope as re-read now covers it; people stay named by the
 * person's own visibility. `load` reads what `work` shows: the figures of a period
 * ({@link figuresFor}), or every row (the export).
 */
async function withScope<X extends { data: DigestData }>(
  ctx: BotContext,
  drill: string | undefined,
  load: (scope: DigestRecipient["scope"], now: Date, r: DigestRecipient) => Promise<X>,
  work: (p: Prepared, loaded: X) => Promise<void>,
  action: "typing" | "upload_document" = "typing",
): Promise<void> {
  const r = await recipient(ctx);
  if (!r) return void (await refuse(ctx));
  if (drill !== undefined && !(await recipientCovers(r, drill))) return void (await refuseDrill(ctx));
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  await showingAction(ctx, action, async () => {
    const now = ctx.services.clock.now();
    const scope = drill !== undefined ? [drill] : r.scope;
    // The load (and a large scope's thread start) runs while the kindergartens are counted and
    // "collecting…" goes out, not after: the person waits one round trip to Telegram less. Its
    // failure is handled below.
    const loading = load(scope, now, r);
    loading.catch(() => undefined);
    const kindergartens = scope ? scope.length : await Organization.estimatedDocumentCount();
    if (kindergartens > LARGE_SCOPE) await ctx.reply(ctx.t("dg-collecting", { n: kindergartens }));
    let loaded: X;
    try {
      loaded = await loading;
    } catch (err) {
      if (!(err instanceof ScopeTooLarge)) throw err;
      ctx.log.error({ err, kindergartens }, "a scope too large for the memory of its thread");
      await ctx.reply(ctx.t("dg-too-large"));
      return;
    }
    const { data } = loaded;
    const locale = await ctx.i18n.getLocale();
    const t = (key: string, args?: Record<string, string | number>) => ctx.t(key, args);
    const label = drill !== undefined ? scopeLabel(data, scope, t) : scopeLabel(data, scope, t, r.networks);
    await work({ r, scope, label, now, data, locale, t }, loaded);
  });
}

/**
 * A `load` for {@link withScope}: the scope's figures for the period `periodAt(now)` (with the
 * indicators for a report), computed in the digest's thread when the scope is large, with the
 * people it names (`names`: those the digest's text can show, or everyone on its lists).
 */
function figuresFor(periodAt: (now: Date) => Period, indicators = false, names: FiguresRequest["names"] = "shown") {
  return (scope: DigestRecipient["scope"], now: Date, r: DigestRecipient): Promise<ScopeFigures> =>
    scopeFigures({ scope, now, period: periodAt(now), zone: r.zone, indicators, names });
}

function view(p: Prepared, mode: DigestViewOptions["mode"], extra: Partial<DigestViewOptions> = {}): DigestViewOptions {
  return { t: p.t, locale: p.locale, data: p.data, scope: p.scope, visible: visibleFor(p.data, p.r), mode, scopeLabel: p.label, ...extra };
}

async function digestNow(ctx: BotContext, drill?: string, shown?: Period): Promise<void> {
  await withScope(ctx, drill, figuresFor((now) => shown ?? rollingWeek(now)), async (p, { figures: f }) => {
    await sendDigest(ctx.api, ctx.chat!.id, f, view(p, "digest"), (err) => ctx.log.error({ err }, "digest chart not sent"));
    await sendReportExtras(ctx.api, ctx.chat!.id, p.scope, new Date(p.now.getTime() - 365 * 86_400_000), p.now, p.now, p.r.zone, p.t, p.locale);
  });
}

async function report(ctx: BotContext, period: Period, drill?: string): Promise<void> {
  await withScope(ctx, drill, figuresFor(() => period, true), async (p, { figures: f, indicators }) => {
    await sendDigest(ctx.api, ctx.chat!.id, f, view(p, "report", { indicators }), (err) => ctx.log.error({ err }, "report chart not sent"));
    await sendReportExtras(ctx.api, ctx.chat!.id, p.scope, period.from, period.to, p.now, p.r.zone, p.t, p.locale);
    // The same period as documents to file: the curator's report and the order on the pairs formed;
    // for a network, the report of each kindergarten too.
    const pd = periodData(period);
    const docScope = drill !== undefined ? `:${drill}` : "";
    const kb = new InlineKeyboard().text(ctx.t("doc-btn-report"), `dg:doc:r:${pd}${docScope}`).row().text(ctx.t("doc-btn-order"), `dg:doc:o:${pd}${docScope}`).row();
    if (drill === undefined) drillButtons(kb, f.byOrganization, "dg:dk", `:${pd}`);
    await ctx.reply(ctx.t(drill === undefined && f.byOrganization.length > 1 && f.byOrganization.length <= DRILL_MAX ? "nw-doc-offer" : "doc-offer"), { reply_markup: kb });
  });
}

/**
 * Sends the report or the orders (one per organization of the scope with pairs formed in the
 * period) as .docx. The scope is re-read on the server; the period comes from the button.
 */
async function sendDocuments(ctx: BotContext, kind: "r" | "o", period: Period, drill?: string): Promise<void> {
  const r = await recipient(ctx);
  if (!r) return refuse(ctx);
  if (drill !== undefined && !(await recipientCovers(r, drill))) return refuseDrill(ctx);
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  await showingAction(ctx, "upload_document", () => documentsOf(ctx, r, kind, period, drill));
}

async function documentsOf(ctx: BotContext, r: DigestRecipient, kind: "r" | "o", period: Period, drill?: string): Promise<void> {
  const now = ctx.services.clock.now();
  const ru = (key: string, args?: Record<string, string | number>) => ctx.services.t("ru", key, args);
  const scope = drill !== undefined ? [drill] : r.scope;
  if (kind === "r") {
    const doc = await reportDocx(scope, period, ru, now, r.zone);
    await ctx.replyWithDocument(new InputFile(doc.content, doc.filename), { caption: ctx.t("doc-caption-report") });
    return;
  }
  const orgIds = await organizationsWithPairs(scope, period);
  if (!orgIds.length) return void (await ctx.reply(ctx.t("doc-order-nothing")));
  for (const id of orgIds.slice(0, MAX_ORDERS)) {
    const doc = await orderDocx(id, period, ru, now);
    if (doc) await ctx.replyWithDocument(new InputFile(doc.content, doc.filename), { caption: ctx.t("doc-caption-order") });
  }
  if (orgIds.length > MAX_ORDERS) await ctx.reply(ctx.t("doc-order-more", { n: orgIds.length - MAX_ORDERS }));
}

const MAX_ORDERS = 10;

async function askPeriod(ctx: BotContext): Promise<void> {
  if (!(await recipient(ctx))) return refuse(ctx);
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  const kb = new InlineKeyboard();
  for (const k of PERIOD_KINDS.filter((x) => x !== "week")) kb.text(ctx.t(`dg-period-${k}`), `dg:p:${k}`).row();
  kb.text(ctx.t("dg-period-custom"), "dg:p:custom");
  await ctx.reply(ctx.t("dg-report-ask"), { reply_markup: kb });
}

/**
 * /export: the format for the whole scope; for a network (2–{@link DRILL_MAX} kindergartens) also
 * a line of key figures per kindergarten and a button to export that kindergarten alone.
 */
async function askFormat(ctx: BotContext, drill?: string): Promise<void> {
  const r = await recipient(ctx);
  if (!r) return refuse(ctx);
  if (drill !== undefined && !(await recipientCovers(r, drill))) return refuseDrill(ctx);
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  const suffix = drill !== undefined ? `:${drill}` : "";
  const kb = new InlineKeyboard()
    .text(ctx.t("dg-export-xlsx"), `dg:x:xlsx${suffix}`)
    .text(ctx.t("dg-export-csv"), `dg:x:csv${suffix}`)
    .row();
  if (drill === undefined) kb.text(ctx.t("doc-btn-export"), "dg:x:docx").row();
  const lines = [ctx.t("dg-export-ask")];
  if (drill !== undefined) {
    const org = await organizationById(drill);
    lines.unshift(`<b>${escapeHtml(org?.shortName ?? "")}</b>`);
  } else if (r.scope && r.scope.length > 1 && r.scope.length <= DRILL_MAX) {
    const now = ctx.services.clock.now();
    // The per-kindergarten lines count people, pairs and requests: the current week's meetings are enough.
    const data = await loadDigestData(r.scope, now, digestWindow(rollingWeek(now), now));
    const rows = kindergartenFigures(data, r.scope, now);
    lines.push("", `<b>${ctx.t("nw-export-breakdown", { scope: escapeHtml(scopeLabel(data, r.scope, ctx.t.bind(ctx), r.networks)) })}</b>`);
    for (const k of rows) lines.push(ctx.t("nw-kg-line", { name: escapeHtml(k.name), mentees: k.mentees, mentors: k.mentors, pairs: k.activePairs, open: k.openRequests }));
    drillButtons(kb, rows, "dg:xk");
  }
  await ctx.reply(lines.join("\n"), { reply_markup: kb });
}

async function exportFiles(ctx: BotContext, format: "xlsx" | "csv", drill?: string): Promise<void> {
  // The registries follow the regulated Russian forms whatever the curator's language: Russian headers and labels.
  const ru = (key: string, args?: Record<string, string | number>) => ctx.services.t("ru", key, args);
  // A file over Telegram's limit comes in parts, each within it.
  const load = (scope: DigestRecipient["scope"], now: Date, r: DigestRecipient) => scopeExport({ scope, viewer: r, now, zone: r.zone, format, maxFileBytes: uploadLimit.bytes }, ru);
  await withScope(
    ctx,
    drill,
    load,
    async (p, { files }) => {
      const caption = ctx.t("dg-export-caption", { scope: escapeHtml(p.label) });
      for (const f of files) {
        if (f.bytes.length > uploadLimit.bytes) {
          // Telegram would refuse it: said plainly, and the other files still go.
          const mb = new Intl.NumberFormat(p.locale, { maximumFractionDigits: 1 }).format(f.bytes.length / (1024 * 1024));
          ctx.log.warn({ file: f.filename, bytes: f.bytes.length }, "an export file over Telegram's upload limit was not sent");
          await ctx.reply(ctx.t("dg-export-file-too-big", { file: f.filename, mb, format }));
          continue;
        }
        const part = f.part ? ` (${ctx.t("dg-export-part", { n: f.part.n, of: f.part.of })})` : "";
        await ctx.replyWithDocument(new InputFile(f.bytes, f.filename), { caption: f.sheet ? `${escapeHtml(f.sheet)}${part} — ${caption}` : `${caption}${part}` });
      }
    },
    "upload_document",
  );
}

async function showSettings(ctx: BotContext, edit: boolean): Promise<void> {
  const r = await recipient(ctx);
  if (!r) return refuse(ctx);
  const pref = await DigestPreference.findOne({ userId: r.userId }).lean();
  const day = pref?.weekday ? ctx.t(`dg-day-${pref.weekday}`) : ctx.t("dg-day-default");
  const mode = pref?.listMode ?? ctx.services.config.curatorList;
  const text = `${ctx.t(pref?.muted ? "dg-settings-muted" : "dg-settings-on", { day })}\n\n${ctx.t(`hours-mode-${mode}`)}`;
  const kb = new InlineKeyboard();
  for (let d = 1; d <= 7; d++) kb.text(`${pref?.weekday === d ? "• " : ""}${ctx.t(`dg-day-short-${d}`)}`, `dg:d:${d}`);
  kb.row().text(ctx.t("dg-day-default"), "dg:d:0").row();
  kb.text(ctx.t(pref?.muted ? "dg-unmute" : "dg-mute"), pref?.muted ? "dg:m:0" : "dg:m:1").row();
  kb.text(ctx.t(mode === "daily" ? "hours-btn-instant" : "hours-btn-daily"), mode === "daily" ? SETTINGS_INSTANT_DATA : SETTINGS_DAILY_DATA);
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  if (edit) await ctx.editMessageText(text, { reply_markup: kb }).catch((err: unknown) => ctx.log.debug({ err }, "settings unchanged"));
  else await ctx.reply(text, { reply_markup: kb });
}

async function setPreference(ctx: BotContext, change: { muted?: boolean; weekday?: number }): Promise<void> {
  const r = await recipient(ctx);
  if (!r) return refuse(ctx);
  const update =
    change.weekday === 0 ? { $unset: { weekday: 1 } } : { $set: { ...(change.muted !== undefined ? { muted: change.muted } : {}), ...(change.weekday ? { weekday: change.weekday } : {}) } };
  await DigestPreference.updateOne({ userId: r.userId }, update, { upsert: true });
  // A digest already queued for the old day would overlap the new day's: the planner queues the new one.
  if (change.weekday !== undefined) await ctx.services.scheduler.cancelByPrefix(`digest:${r.userId}:`);
  await showSettings(ctx, true);
}

export function digestFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const pm = composer.chatType("private");
  pm.command("digest", (ctx) => digestNow(ctx));
  pm.command("report", async (ctx) => {
    const args = ctx.match.trim();
    if (!args) return askPeriod(ctx);
    const r = await recipient(ctx);
    if (!r) return refuse(ctx);
    const period = customPeriod(args, r.zone);
    if (!period) return void (await ctx.reply(ctx.t("dg-report-bad-dates")));
    await report(ctx, period);
  });
  pm.command("export", (ctx) => askFormat(ctx));
  composer.callbackQuery(/^dg:p:(last_week|last_4_weeks|this_month|last_month|custom)$/, async (ctx) => {
    const kind = ctx.match[1] as PeriodKind | "custom";
    const r = await recipient(ctx);
    if (!r) return refuse(ctx);
    if (kind === "custom") {
      await ctx.answerCallbackQuery();
      return void (await ctx.reply(ctx.t("dg-report-custom-hint")));
    }
    await report(ctx, periodOf(kind, ctx.services.clock.now(), r.zone));
  });
  composer.callbackQuery("dg:x", (ctx) => askFormat(ctx));
  // The same from the main menu.
  composer.callbackQuery(/^m:(digest|report|export)$/, (ctx) => ({ digest: (c: BotContext) => digestNow(c), report: askPeriod, export: (c: BotContext) => askFormat(c) })[ctx.match[1] as "digest" | "report" | "export"](ctx));
  composer.callbackQuery(/^dg:x:(xlsx|csv)(?::([0-9a-f]{24}))?$/, (ctx) => exportFiles(ctx, ctx.match[1] as "xlsx" | "csv", ctx.match[2]));
  // Drill-downs into one kindergarten of a network (issue 15): the id is re-checked against the scope on every press.
  composer.callbackQuery(/^dg:xk:([0-9a-f]{24})$/, (ctx) => askFormat(ctx, ctx.match[1]));
  composer.callbackQuery(/^dg:k:(d|r):([0-9a-f]{24}):([0-9a-z]{1,9}):([0-9a-z]{1,9})$/, async (ctx) => {
    const period = periodFromData(ctx.match[3] as string, ctx.match[4] as string);
    if (!period) return refuse(ctx);
    if (ctx.match[1] === "r") return report(ctx, period, ctx.match[2]);
    return digestNow(ctx, ctx.match[2], period);
  });
  composer.callbackQuery(/^dg:dk:([0-9a-f]{24}):([0-9a-z]{1,9}):([0-9a-z]{1,9})$/, async (ctx) => {
    const period = periodFromData(ctx.match[2] as string, ctx.match[3] as string);
    if (!period) return refuse(ctx);
    await sendDocuments(ctx, "r", period, ctx.match[1]);
  });
  // /export's documents: the report and the orders of the last 12 months (the indicators sheet's period).
  composer.callbackQuery("dg:x:docx", async (ctx) => {
    const r = await recipient(ctx);
    if (!r) return refuse(ctx);
    const now = ctx.services.clock.now();
    const period = { from: DateTime.fromJSDate(now, { zone: r.zone }).minus({ months: 12 }).startOf("day").toJSDate(), to: now };
    await sendDocuments(ctx, "r", period);
    await sendDocuments(ctx, "o", period);
  });
  composer.callbackQuery(/^dg:doc:(r|o):([0-9a-z]{1,9}):([0-9a-z]{1,9})(?::([0-9a-f]{24}))?$/, async (ctx) => {
    const period = periodFromData(ctx.match[2] as string, ctx.match[3] as string);
    if (!period) return refuse(ctx);
    await sendDocuments(ctx, ctx.match[1] as "r" | "o", period, ctx.match[4]);
  });
  composer.callbackQuery(/^dg:(r|o|n)(?::([0-9a-z]{1,9}):([0-9a-z]{1,9}))?$/, async (ctx) => {
    // The period the list was shown for (a report's, or an older digest's); the current week otherwise.
    const shown = ctx.match[2] && ctx.match[3] ? periodFromData(ctx.match[2], ctx.match[3]) : undefined;
    // The lists of risks and mentors name everyone on them; the digest's text only its first few.
    await withScope(ctx, undefined, figuresFor((now) => shown ?? rollingWeek(now), false, ctx.match[1] === "o" ? "shown" : "all"), async (p, { figures: f }) => {
      const list = { r: riskListMessages, o: orgListMessages, n: mentorListMessages }[ctx.match[1] as "r" | "o" | "n"];
      const messages = list(f, view(p, "digest"));
      for (const m of messages) await ctx.reply(m, { link_preview_options: { is_disabled: true } });
    });
  });
  composer.callbackQuery("dg:s", (ctx) => showSettings(ctx, false));
  composer.callbackQuery(/^dg:d:([0-7])$/, (ctx) => setPreference(ctx, { weekday: Number(ctx.match[1]) }));
  composer.callbackQuery(/^dg:m:([01])$/, (ctx) => setPreference(ctx, { muted: ctx.match[1] === "1" }));
  // Daily list or each at once (issue 15): from the settings above or the button under a list.
  composer.callbackQuery(/^cl:(m|s):([di])$/, async (ctx) => {
    const r = await recipient(ctx);
    if (!r) return refuse(ctx);
    const mode = ctx.match[2] === "i" ? "instant" : "daily";
    await DigestPreference.updateOne({ userId: r.userId }, { $set: { listMode: mode } }, { upsert: true });
    if (ctx.match[1] === "s") return showSettings(ctx, true);
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t(mode === "instant" ? "hours-mode-set-instant" : "hours-mode-set-daily"));
  });
  return composer;
}
