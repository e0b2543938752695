import type { Update } from "grammy/types";
import type { Types } from "mongoose";
import { buildTestBot, LogSink, type TestBot } from "./harness.ts";
import { buttonsOf, FakeTelegram, type ApiCall } from "./fake-telegram.ts";
import { callback, command, makeUser, textMessage, type TestUser } from "./updates.ts";
import { Rng } from "./rng.ts";
import { checkInvariants, type Violation } from "./invariants.ts";
import { addOrganization } from "../domain/organizations.ts";
import { createInvite, INVITE_PREFIX, type InviteRole } from "../domain/invites.ts";
import { seedDeficitCatalogue } from "../domain/deficits.ts";
import { completeRegistration, recordPdConsent } from "../domain/registration.ts";
import { createTranslator } from "../core/locales.ts";
import { DEFAULT_WORKING_HOURS } from "../core/working-hours.ts";
import { LIST_BUTTON_PREFIX } from "../messaging/curator-list.ts";
import { Job, Meeting, MentorProfile, MentoringGroup, MentorshipRequest, OPEN_REQUEST_STATUSES, Pair, Program, User } from "../../models/index.ts";
import { groupAudienceOrgIds } from "../domain/groups.ts";
import { DateTime } from "luxon";

/**
 * A simulated mentoring year (issue 11): a network of three kindergartens in three time zones,
 * their curators, mentors and mentees, driving the REAL bot (fake Bot API, fake clock, the job
 * queue ticking at every due job) day by day with seeded random choices, and checking the
 * invariants of ./invariants.ts after every day. The caller connects mongoose to an empty
 * database first.
 */

export interface SimulationOptions {
  seed: number;
  days: number;
  /** Mentors and mentees per kindergarten (defaults: 4/3/3 mentors, 10 mentees each). */
  mentees?: number;
  /** Mentors per kindergarten (default 4, 3, 3). */
  mentors?: readonly number[];
  /**
   * How people join: "chat" (default) — each one registers and fills in the mentor profile through
   * the bot; "quick" — the first mentor and mentee of the first kindergarten do, the others are
   * enrolled through the same domain services without the chat (a short run's set-up in seconds).
   */
  enrolment?: "chat" | "quick";
  /**
   * Run with the production default of working hours (21:00–08:00 and weekends quiet) and the
   * curators' daily list, and check that no notice reaches anyone in their quiet time.
   */
  workingHours?: boolean;
  /** Called after every simulated day with its number (1-based) and the running tallies. */
  onDay?: (day: number, stats: SimulationStats) => void;
  /** Stop at the first violation (default true). */
  stopAtViolation?: boolean;
}

export interface SimulationStats {
  requests: Record<string, number>;
  accepted: number;
  declined: number;
  silent: number;
  sessionsProposed: number;
  meetingsCancelled: number;
  meetingsMoved: number;
  held: number;
  missed: number;
  programsEnded: number;
  assignedByCurator: number;
  requestsCancelled: number;
  /** Quick questions answered by a mentor, follow-ups asked, thanks given. */
  questionsAnswered: number;
  followUps: number;
  thanks: number;
  /** Mentoring groups: open calls published, joins, group meetings set, participants who left, groups ended. */
  /** Programs drafted by mentors in the dialog, confirmed by mentees, approved by curators. */
  programsDrafted: number;
  programsConfirmed: number;
  programsApproved: number;
  programsRedrafted: number;
  planItemsDone: number;
  /** Programs of mentoring groups drafted by their lead mentor. */
  groupProgramsDrafted: number;
  groupsOpened: number;
  groupsJoined: number;
  groupMeetings: number;
  groupsLeft: number;
  groupsEnded: number;
  /** Attendance sheets of group meetings filled in by the host. */
  groupAttendance: number;
  restarts: number;
  erased: number;
  paused: number;
  /** Dialogs the simulated person could not finish (the button they looked for was not there). */
  stuck: number;
  stuckExamples: string[];
  messages: number;
}

export interface SimulationResult {
  seed: number;
  days: number;
  /** The day of the first violation, if any. */
  failedDay?: number;
  violations: Violation[];
  /** Checks known to fail until a pending change lands (the first day each was seen). */
  expectedFailures: Array<Violation & { day: number }>;
  stats: SimulationStats;
  ms: number;
}

type RoleKind = "curator" | "mentor" | "mentee";

interface Person {
  user: TestUser;
  role: RoleKind;
  org: number;
  name: string;
  /** Index into the fake's calls up to which this person has read their messages. */
  read: number;
  erased: boolean;
}

const ORGS = [
  { shortName: "Детский сад № 11 «Солнышко»", timezone: "Europe/Moscow" },
  { shortName: "Детский сад № 12 «Берёзка»", timezone: "Asia/Yekaterinburg" },
  { shortName: "Детский сад № 13 «Морячок»", timezone: "Asia/Vladivostok" },
] as const;
const NETWORK = "Сеть детских садов «Радуга»";
const TOPICS = ["A1", "A3", "B1", "D1", "E2", "F1", "F2", "G4"] as const;
const SURNAMES = ["Лебедева", "Соколова", "Орлова", "Голубева", "Зайцева", "Белова", "Киселёва", "Медведева", "Ершова", "Никитина", "Сорокина", "Яковлева", "Гусева", "Титова", "Кузьмина"];
const GIVEN = ["Алина", "Вера", "Дарья", "Елена", "Жанна", "Инна", "Ксения", "Лариса", "Милена", "Нина", "Полина", "Римма", "Софья", "Тамара", "Ульяна"];
const PATRONYMICS = ["Андреевна", "Борисовна", "Викторовна", "Олеговна", "Павловна", "Романовна"];
const START = new Date("2026-09-01T00:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

class Stuck extends Error {}

export async function simulate(options: SimulationOptions): Promise<SimulationResult> {
  const started = Date.now();
  const sim = new Simulation(options);
  return sim.run().then((r) => ({ ...r, ms: Date.now() - started }));
}

class Simulation {
  private readonly rng: Rng;
  private nowMs = START.getTime();
  private lastCheck = START.getTime();
  private readonly clock = { now: () => new Date(this.nowMs) };
  private readonly fake = new FakeTelegram();
  private readonly logs = new LogSink();
  private t!: TestBot;
  private readonly people: Person[] = [];
  private readonly orgIds: string[] = [];
  private nextId = 910_000;
  private checkedCalls = 0;
  /** Offers (by id) a mentor has made up their mind about: answered, or left to time out. */
  private readonly decided = new Set<string>();
  private readonly stats: SimulationStats = {
    requests: {},
    accepted: 0,
    declined: 0,
    silent: 0,
    sessionsProposed: 0,
    meetingsCancelled: 0,
    meetingsMoved: 0,
    held: 0,
    missed: 0,
    programsEnded: 0,
    assignedByCurator: 0,
    requestsCancelled: 0,
    questionsAnswered: 0,
    followUps: 0,
    thanks: 0,
    programsDrafted: 0,
    programsConfirmed: 0,
    programsApproved: 0,
    programsRedrafted: 0,
    planItemsDone: 0,
    groupProgramsDrafted: 0,
    groupsOpened: 0,
    groupsJoined: 0,
    groupMeetings: 0,
    groupsLeft: 0,
    groupsEnded: 0,
    groupAttendance: 0,
    restarts: 0,
    erased: 0,
    paused: 0,
    stuck: 0,
    stuckExamples: [],
    messages: 0,
  };
  private readonly translate = createTranslator("ru");

  private readonly options: SimulationOptions;
  private readonly startedAt = Date.now();

  constructor(options: SimulationOptions) {
    this.options = options;
    this.rng = new Rng(options.seed);
    this.fake.now = () => this.clock.now();
  }

  private buildBot(): void {
    const hours = this.options.workingHours ? { workingHours: DEFAULT_WORKING_HOURS, curatorList: "daily" as const } : {};
    this.t = buildTestBot({ fake: this.fake, clock: this.clock, logs: this.logs, config: { logLevel: "warn", ...hours } });
  }

  async run(): Promise<Omit<SimulationResult, "ms">> {
    await seedDeficitCatalogue();
    this.buildBot();
    await this.setup();
    if (process.env.SIM_VERBOSE) process.stdout.write(`setup done in ${Date.now() - this.startedAt} ms\n`);
    const expectedFailures: Array<Violation & { day: number }> = [];
    const restartDay = Math.max(2, Math.floor(this.options.days / 2));
    const pauseDay = Math.max(3, Math.floor(this.options.days / 3));
    const eraseDay = Math.max(4, Math.floor((this.options.days * 2) / 3));
    for (let day = 1; day <= this.options.days; day++) {
      const dayStart = START.getTime() + day * DAY;
      await this.runUntil(dayStart + 5 * HOUR);
      if (day === restartDay) {
        // A restart in the middle: a new bot object (and job queue) on the same database.
        this.buildBot();
        this.stats.restarts++;
      }
      const checkedSince = new Date(this.lastCheck);
      await this.morning(day, { pause: day === pauseDay, erase: day === eraseDay });
      await this.runUntil(dayStart + DAY - 60_000);
      const report = await checkInvariants({
        now: this.clock.now(),
        calls: this.fake.calls,
        checkedCalls: this.checkedCalls,
        curatorChatIds: new Set(this.people.filter((p) => p.role === "curator").map((p) => p.user.id)),
        t: (key, args) => this.translate("ru", key, args),
        ...(this.options.workingHours ? { workingHours: { hours: DEFAULT_WORKING_HOURS, since: checkedSince } } : {}),
      });
      this.lastCheck = this.clock.now().getTime();
      this.checkedCalls = this.fake.calls.length;
      this.stats.messages = this.fake.sent("sendMessage").length;
      for (const f of report.expectedFailures) if (!expectedFailures.some((e) => e.invariant === f.invariant)) expectedFailures.push({ ...f, day });
      this.options.onDay?.(day, this.stats);
      if (report.violations.length > 0 && this.options.stopAtViolation !== false) {
        return { seed: this.options.seed, days: day, failedDay: day, violations: report.violations, expectedFailures, stats: this.stats };
      }
    }
    return { seed: this.options.seed, days: this.options.days, violations: [], expectedFailures, stats: this.stats };
  }

  // ——— time ———

  /** Moves the clock to every due job up to `until`, ticking the queue and letting people react. */
  private async runUntil(until: number): Promise<void> {
    for (let guard = 0; guard < 500; guard++) {
      const next = await Job.findOne({ status: "pending", runAt: { $lte: new Date(until) } }, { runAt: 1 }).sort({ runAt: 1 }).lean();
      if (!next) break;
      this.nowMs = Math.max(this.nowMs, next.runAt.getTime());
      await this.t.queue.tick();
      await this.react();
    }
    this.nowMs = Math.max(this.nowMs, until);
    await this.t.queue.tick();
    await this.react();
  }

  // ——— the network ———

  private newUser(role: RoleKind, org: number, english = false): Person {
    const id = this.nextId++;
    const name = `${this.rng.pick(SURNAMES)} ${this.rng.pick(GIVEN)} ${this.rng.pick(PATRONYMICS)}`;
    const first = name.split(" ")[1] as string;
    const user = makeUser(id, first, english ? "en" : "ru", { username: `sim_${id}` });
    const p: Person = { user, role, org, name, read: this.fake.calls.length, erased: false };
    this.people.push(p);
    return p;
  }

  private async invite(org: number, role: InviteRole): Promise<string> {
    const inv = await createInvite({ organizationId: this.orgIds[org] as string, role, uses: 1, ttlMs: 30 * DAY, createdBy: "simulator", now: this.clock.now() });
    return `${INVITE_PREFIX}${inv.token}`;
  }

  private async setup(): Promise<void> {
    for (const o of ORGS) {
      const res = await addOrganization({ shortName: o.shortName, timezone: o.timezone, network: NETWORK });
      if (!res.ok) throw res.error;
      this.orgIds.push(res.value.id);
    }
    for (let org = 0; org < ORGS.length; org++) {
      const cur = this.newUser("curator", org);
      await this.register(cur, "curator");
    }
    const mentorsPerOrg = this.options.mentors ?? [4, 3, 3];
    const viaChat = (org: number, i: number) => this.options.enrolment !== "quick" || (org === 0 && i === 0);
    for (let org = 0; org < ORGS.length; org++) {
      for (let i = 0; i < (mentorsPerOrg[org] ?? 0); i++) {
        const m = this.newUser("mentor", org);
        if (viaChat(org, i)) {
          await this.register(m, "mentor");
          await this.mentorProfile(m);
          await this.react();
        } else await this.enrolQuickly(m, "mentor");
      }
    }
    const mentees = this.options.mentees ?? 10;
    for (let org = 0; org < ORGS.length; org++) {
      for (let i = 0; i < mentees; i++) {
        const m = this.newUser("mentee", org, this.rng.chance(0.1));
        if (viaChat(org, i)) await this.register(m, "mentee");
        else await this.enrolQuickly(m, "mentee");
      }
    }
    await this.react();
  }

  // ——— driving the chat like a person ———

  private async send(u: Update): Promise<void> {
    await this.t.send(u);
  }

  private async say(p: Person, text: string): Promise<void> {
    await this.send(text.startsWith("/") ? command(p.user, text) : textMessage(p.user, text));
  }

  /** Messages (sent or edited) to the person, newest last, with their buttons. */
  private messagesTo(p: Person, from = 0): Array<{ call: ApiCall; buttons: Array<{ text: string; data?: string }> }> {
    const out: Array<{ call: ApiCall; buttons: Array<{ text: string; data?: string }> }> = [];
    const calls = this.fake.calls;
    for (let i = from; i < calls.length; i++) {
      const c = calls[i] as ApiCall;
      if (c.failed || Number(c.payload.chat_id) !== p.user.id) continue;
      if (!["sendMessage", "editMessageText", "editMessageReplyMarkup", "sendDocument", "sendPhoto"].includes(c.method)) continue;
      out.push({ call: c, buttons: buttonsOf(c.payload) });
    }
    return out;
  }

  /** Presses the newest button whose data equals (or matches) `what`; throws {@link Stuck} when there is none. */
  private async press(p: Person, what: string | RegExp): Promise<string> {
    const matches = (d: string | undefined) => d !== undefined && (typeof what === "string" ? d === what : what.test(d));
    const msgs = this.messagesTo(p, Math.max(0, this.fake.calls.length - 400)).reverse();
    const data = msgs.flatMap((m) => m.buttons).find((b) => matches(b.data))?.data;
    if (!data) {
      const last = msgs[0]?.call.payload.text;
      throw new Stuck(`${p.role} ${p.user.id}: no button ${String(what)}; last message: «${String(last ?? "").slice(0, 100)}»`);
    }
    await this.send(callback(p.user, data));
    return data;
  }

  /** Runs a dialog; when the person cannot go on, counts it, says /cancel and goes on with the day. */
  private async attempt(p: Person, step: () => Promise<unknown>): Promise<boolean> {
    try {
      await step();
      return true;
    } catch (err) {
      if (!(err instanceof Stuck)) throw err;
      this.stats.stuck++;
      if (this.stats.stuckExamples.length < 10) this.stats.stuckExamples.push(`day ${Math.floor((this.nowMs - START.getTime()) / DAY)}: ${err.message}`);
      await this.say(p, "/cancel");
      return false;
    }
  }

  private async register(p: Person, role: InviteRole): Promise<void> {
    await this.say(p, `/start ${await this.invite(p.org, role)}`);
    await this.press(p, `ob:lang:${p.user.language_code === "en" ? "en" : "ru"}`);
    await this.press(p, "ob:consent:yes");
    await this.say(p, p.name);
    if (role === "mentee") await this.say(p, String(this.rng.int(1995, 2003)));
    await this.press(p, role === "curator" ? "pf:pos:senior_educator" : "pf:pos:educator");
    if (role !== "curator") {
      await this.say(p, String(role === "mentor" ? this.rng.int(10, 30) : this.rng.int(0, 3)));
      await this.press(p, `pf:cat:${role === "mentor" ? "highest" : "none"}`);
      await this.press(p, "pf:edu:pedagogical");
    }
    await this.press(p, "ob:confirm");
  }

  /** Registration (and an approved mentor profile) through the domain services, without the chat. */
  private async enrolQuickly(p: Person, role: "mentor" | "mentee"): Promise<void> {
    const now = this.clock.now();
    const locale = p.user.language_code === "en" ? "en" : "ru";
    await recordPdConsent({ telegramId: p.user.id, locale, decision: "given", text: "simulated consent", now });
    const inv = await createInvite({ organizationId: this.orgIds[p.org] as string, role, uses: 1, ttlMs: DAY, createdBy: "simulator", now });
    const res = await completeRegistration({
      telegramId: p.user.id,
      username: p.user.username,
      locale,
      profile: role === "mentor"
        ? { fullName: p.name, position: "educator", experienceYears: this.rng.int(10, 30), qualificationCategory: "highest", educationProfile: "pedagogical" }
        : { fullName: p.name, birthYear: this.rng.int(1995, 2003), position: "educator", experienceYears: this.rng.int(0, 3), qualificationCategory: "none", educationProfile: "pedagogical" },
      invite: { id: inv.id, organizationId: this.orgIds[p.org] as string, role },
      now,
    });
    if (res.status !== "registered") throw new Error(`quick enrolment of ${p.user.id}: ${res.status}`);
    if (role !== "mentor") return;
    const user = await User.findOne({ telegramId: p.user.id }, { _id: 1, organizationId: 1 }).lean();
    if (!user?.organizationId) throw new Error(`quick enrolment of ${p.user.id}: no user`);
    const capacity = this.rng.int(1, 3);
    const days = this.rng.sample([1, 2, 3, 4, 5], 2);
    await MentorProfile.create({
      userId: user._id,
      organizationId: user.organizationId,
      competences: this.rng.sample(TOPICS, this.rng.int(2, 4)),
      capacity,
      freeSlots: capacity,
      forms: this.rng.chance(0.6) ? ["individual", "flash"] : ["individual"],
      mode: "any",
      availability: days.map((weekday) => ({ weekday, startMin: 9 * 60, endMin: 17 * 60 })),
      networkServing: this.rng.chance(0.6),
      approved: true,
      approvedAt: now,
    });
  }

  private async mentorProfile(p: Person): Promise<void> {
    const topics = this.rng.sample(TOPICS, this.rng.int(2, 4));
    await this.say(p, "/mentor");
    for (const g of [...new Set(topics.map((c) => c[0] as string))]) {
      await this.press(p, `mp:g:${g}`);
      for (const c of topics.filter((x) => x.startsWith(g))) await this.press(p, `mp:i:t:${c}`);
      await this.press(p, "mp:i:done");
    }
    await this.press(p, "mp:g:done");
    await this.press(p, `mp:c:${this.rng.int(1, 3)}`);
    await this.press(p, "mp:f:t:individual");
    if (this.rng.chance(0.6)) await this.press(p, "mp:f:t:flash");
    await this.press(p, "mp:f:done");
    await this.press(p, "mp:m:any");
    for (const d of this.rng.sample(["1", "2", "3", "4", "5"], 2)) await this.press(p, `mp:d:t:${d}`);
    await this.press(p, "mp:d:done");
    await this.press(p, `mp:p:t:${this.rng.pick(["morning", "day", "evening"])}`);
    await this.press(p, "mp:p:done");
    await this.press(p, `mp:n:${this.rng.chance(0.6) ? "yes" : "no"}`);
    await this.press(p, "mp:z:none");
  }

  // ——— a day's own initiatives ———

  private async userDoc(p: Person) {
    return User.findOne({ telegramId: p.user.id }, { _id: 1 }).lean();
  }

  private async morning(day: number, events: { pause: boolean; erase: boolean }): Promise<void> {
    const live = this.people.filter((p) => !p.erased);
    for (const p of this.rng.sample(live, live.length)) {
      // Most people do nothing of their own on a given day; only the others are looked up.
      if (p.role === "curator" || !this.rng.chance(p.role === "mentee" ? 0.25 : 0.6)) continue;
      const u = await this.userDoc(p);
      if (!u) continue;
      if (p.role === "mentee") await this.menteeDay(p, u._id);
      else await this.mentorDay(p, u._id);
      await this.react();
    }
    if (events.pause) {
      const cur = this.rng.pick(this.people.filter((p) => p.role === "curator"));
      const profile = await MentorProfile.findOne({ organizationId: this.orgIds[cur.org], approved: true }, { _id: 1 }).lean();
      if (profile && (await this.attempt(cur, async () => {
        await this.say(cur, "/mentors");
        await this.press(cur, `mr:o:${profile._id}`);
        await this.press(cur, `mr:ps:${profile._id}`);
      }))) this.stats.paused++;
    }
    if (events.erase) {
      const victim = this.rng.pick(this.people.filter((p) => p.role === "mentee" && !p.erased));
      if (await this.attempt(victim, async () => {
        await this.say(victim, "/deleteme");
        await this.press(victim, "del:yes");
      })) {
        victim.erased = true;
        this.stats.erased++;
      }
    }
    void day;
    await this.react();
  }

  private async menteeDay(p: Person, userId: Types.ObjectId): Promise<void> {
    const open = await MentorshipRequest.findOne({ menteeId: userId, status: { $in: [...OPEN_REQUEST_STATUSES] } }).lean();
    if (open) {
      if (this.clock.now().getTime() - (open.createdAt as Date).getTime() > 4 * DAY && this.rng.chance(0.05)) {
        if (await this.attempt(p, async () => {
          await this.say(p, "/myrequests");
          await this.press(p, `mq:x:${open._id}`);
          await this.press(p, `mq:xy:${open._id}`);
        })) this.stats.requestsCancelled++;
      }
      return;
    }
    const seat = await Pair.findOne({ menteeId: userId, status: "active", groupId: { $exists: true } }, { groupId: 1 }).lean();
    if (seat?.groupId && this.rng.chance(0.02)) {
      const id = seat.groupId.toString();
      if (await this.attempt(p, async () => {
        await this.say(p, "/groups");
        await this.press(p, `gr:o:${id}`);
        await this.press(p, `gr:lv:${id}`);
        await this.press(p, `gr:ly:${id}`);
      })) this.stats.groupsLeft++;
      return;
    }
    if (await Pair.exists({ menteeId: userId, status: "active" })) return;
    if (!this.rng.chance(0.5)) return;
    if (this.rng.chance(0.25) && (await this.joinGroup(p))) return;
    const r = this.rng.next();
    const kind = r < 0.4 ? "flash" : r < 0.85 ? "long_term" : "question";
    const topics = this.rng.sample(TOPICS, this.rng.int(1, 2));
    const ok = await this.attempt(p, async () => {
      await this.say(p, "/request");
      for (const g of [...new Set(topics.map((c) => c[0] as string))]) {
        await this.press(p, `rq:g:${g}`);
        for (const c of topics.filter((x) => x.startsWith(g))) await this.press(p, `rq:i:t:${c}`);
        await this.press(p, "rq:i:done");
      }
      await this.press(p, "rq:g:done");
      for (const c of [...topics].sort()) await this.press(p, `rq:c:${c}:${this.rng.int(1, 3)}`);
      await this.say(p, this.rng.pick(["Не получается вести портфолио, нужна помощь", "Как спокойно говорить с родителями о конфликте?", "Готовлюсь к аттестации & не знаю, с чего начать", "Нужен совет по занятию <для младшей группы>"]));
      await this.press(p, `rq:k:${kind}`);
      // A quick question needs no format or times: the summary follows at once.
      if (kind !== "question") {
        await this.press(p, "rq:m:any");
        await this.press(p, "rq:d:done");
      }
      await this.press(p, "rq:ok");
    });
    if (ok) this.stats.requests[kind] = (this.stats.requests[kind] ?? 0) + 1;
  }

  /** The mentor drafts a personalised program in the dialog (one or two plan items) and sends it to the mentee (or the group: `pairId` is then the group's id). */
  private async draftProgram(p: Person, pairId: string, fromButton = false): Promise<boolean> {
    const zone = ORGS[p.org]?.timezone ?? "Europe/Moscow";
    const today = DateTime.fromJSDate(this.clock.now()).setZone(zone);
    return this.attempt(p, async () => {
      if (fromButton) await this.send(callback(p.user, `pg:ed:${pairId}`));
      else {
        await this.say(p, "/program");
        await this.press(p, `pg:ed:${pairId}`);
      }
      await this.say(p, "Освоить планирование образовательной деятельности и общение с родителями");
      await this.press(p, `pgx:mo:${this.rng.int(3, 6)}`);
      await this.press(p, /^pgx:rm:/);
      await this.press(p, /^pgx:fm:/);
      const items = this.rng.int(1, 2);
      for (let i = 1; i <= items; i++) {
        await this.say(p, i === 1 ? "Составить план на неделю по теме" : "Провести открытое занятие");
        await this.say(p, today.plus({ days: 20 * i }).toFormat("dd.MM.yyyy"));
        await this.press(p, "pgx:skip");
        await this.press(p, `pgx:more:${i < items ? "yes" : "no"}`);
      }
      await this.say(p, "Портфолио с планами и конспектом открытого занятия");
      await this.press(p, "pgx:send:send");
    });
  }

  /** The attendance sheet of a group's meeting, when the bot shows one: a change or two, then done. */
  private async markAttendance(p: Person): Promise<boolean> {
    const buttons = this.fake.lastMessageTo(p.user.id)?.buttons ?? [];
    if (!buttons.some((b) => /^ga:/.test(b.data ?? ""))) return false;
    const toggles = buttons.filter((b) => /^ga:t:/.test(b.data ?? ""));
    if (toggles.length > 0 && this.rng.chance(0.5)) await this.press(p, this.rng.pick(toggles).data as string);
    await this.press(p, "ga:done");
    this.stats.groupAttendance++;
    return true;
  }

  /** A teacher without a mentor joins an open group of her kindergarten or network, when there is one with a seat. */
  private async joinGroup(p: Person): Promise<boolean> {
    const org = this.orgIds[p.org] as string;
    const open = [];
    for (const g of await MentoringGroup.find({ status: "active", recruiting: true }).lean()) {
      if (g.seatsTaken < g.size && (await groupAudienceOrgIds(g)).includes(org)) open.push(g);
    }
    if (open.length === 0) return false;
    const g = this.rng.pick(open);
    let joined = false;
    await this.attempt(p, async () => {
      await this.say(p, "/groups");
      await this.press(p, `gr:j:${g._id}`);
      // The lead mentor may have no free place left: the bot says so instead of the consent text.
      const consent = this.fake.lastMessageTo(p.user.id)?.buttons.some((b) => b.data === `gr:jy:${g._id}`);
      if (!consent) return;
      await this.press(p, `gr:jy:${g._id}`);
      joined = true;
    });
    if (joined) this.stats.groupsJoined++;
    return joined;
  }

  /** The lead mentor of a group: sets the next group meeting, or ends a group that has run its course. */
  private async groupDay(p: Person, g: { _id: Types.ObjectId; memberIds: readonly unknown[]; createdAt?: Date | null }): Promise<boolean> {
    const id = g._id.toString();
    const age = this.clock.now().getTime() - (g.createdAt as Date).getTime();
    if (age > 90 * DAY && this.rng.chance(0.15)) {
      if (await this.attempt(p, async () => {
        await this.say(p, "/groups");
        await this.press(p, `gr:o:${id}`);
        await this.press(p, `gr:end:${id}`);
        await this.press(p, `gr:ec:${id}`);
      })) this.stats.groupsEnded++;
      return true;
    }
    if (g.memberIds.length >= 2 && age > 3 * DAY && !(await Program.exists({ groupId: g._id })) && this.rng.chance(0.3)) {
      if (await this.draftProgram(p, id)) this.stats.groupProgramsDrafted++;
      return true;
    }
    if (g.memberIds.length === 0 || (await Meeting.exists({ groupId: g._id, status: { $in: ["proposed", "confirmed"] } })) || !this.rng.chance(0.5)) return false;
    // Next working day two or more days ahead, 15:00 in the kindergarten's zone.
    let day = DateTime.fromJSDate(this.clock.now()).setZone(ORGS[p.org]?.timezone ?? "Europe/Moscow").plus({ days: 2 });
    while (day.weekday > 5) day = day.plus({ days: 1 });
    if (await this.attempt(p, async () => {
      await this.say(p, "/groups");
      await this.press(p, `gr:o:${id}`);
      await this.press(p, `gr:mt:${id}`);
      await this.say(p, `${day.toFormat("dd.MM.yyyy")} 15:00`);
      await this.press(p, /^gm:d:/);
      await this.say(p, "Игровые технологии в младшей группе");
      await this.press(p, "gm:m:online");
      await this.say(p, "https://meet.example.org/group");
    })) this.stats.groupMeetings++;
    return true;
  }

  private async mentorDay(p: Person, userId: Types.ObjectId): Promise<void> {
    const group = await MentoringGroup.findOne({ mentorId: userId, status: "active" }, { memberIds: 1, createdAt: 1 }).lean();
    if (group && (await this.groupDay(p, group))) return;
    if (!group && this.rng.chance(0.03) && (await MentorProfile.exists({ userId, approved: true, freeSlots: { $gte: 2 }, pausedUntil: { $exists: false } }))) {
      if (await this.attempt(p, async () => {
        await this.say(p, "/groups");
        await this.press(p, "gr:new");
        await this.say(p, this.rng.pick(["Школа молодого воспитателя", "Кружок «Первые шаги»", "Планирование без стресса"]));
        await this.press(p, /^gn:t:/);
        await this.press(p, `gn:s:${this.rng.int(2, 4)}`);
        await this.press(p, this.rng.chance(0.5) ? "gn:a:none" : /^gn:a:/);
        await this.press(p, "gn:ok");
      })) this.stats.groupsOpened++;
      return;
    }
    const pairs = await Pair.find({ mentorId: userId, status: "active", groupId: { $exists: false } }).lean();
    if (pairs.length === 0) return;
    const pair = this.rng.pick(pairs);
    const upcoming = await Meeting.exists({ pairId: pair._id, status: { $in: ["proposed", "confirmed"] } });
    if (!upcoming && this.rng.chance(0.5)) {
      const ok = await this.attempt(p, async () => {
        await this.say(p, "/session");
        if (pairs.length > 1) await this.press(p, new RegExp(`^ss:pr:.*${pair._id}`));
        await this.press(p, /^ss:tp:(?!other)/);
        await this.press(p, `ss:du:${this.rng.pick(["30", "45", "60"])}`);
        await this.press(p, "ss:md:online");
        await this.say(p, "https://meet.example.org/room");
        await this.press(p, /^ss:sl:t:/);
        await this.press(p, "ss:sl:done");
      });
      if (ok) this.stats.sessionsProposed++;
      return;
    }
    const age = this.clock.now().getTime() - (pair.createdAt as Date).getTime();
    if (pair.kind === "long_term" && age > 2 * DAY && !(await Program.exists({ pairId: pair._id })) && this.rng.chance(0.4)) {
      if (await this.draftProgram(p, pair._id.toString())) this.stats.programsDrafted++;
      return;
    }
    if (pair.kind === "long_term" && age > 30 * DAY && this.rng.chance(0.1)) {
      const goal = this.rng.chance(0.6);
      const ok = await this.attempt(p, async () => {
        await this.say(p, "/program");
        await this.press(p, `pg:fin:${pair._id}`);
        if (goal) await this.press(p, `pg:goal:${pair._id}`);
        else {
          await this.press(p, `pg:end:${pair._id}`);
          await this.say(p, "Наставляемая переходит в другой детский сад");
        }
      });
      if (ok) this.stats.programsEnded++;
    }
  }

  // ——— reacting to what arrives ———

  /** Everyone reads their new messages and answers what asks for an answer, until it is quiet. */
  private async react(): Promise<void> {
    for (let round = 0; round < 6; round++) {
      let acted = false;
      for (const p of this.people) {
        if (p.erased) continue;
        const fresh = this.messagesTo(p, p.read).filter((m) => m.call.method === "sendMessage");
        p.read = this.fake.calls.length;
        for (const m of fresh) if (await this.answer(p, m.buttons.map((b) => b.data ?? ""))) acted = true;
      }
      if (!acted) return;
    }
  }

  /** One person's answer to one message, by the buttons it carries; true when they pressed something. */
  private async answer(p: Person, data: string[]): Promise<boolean> {
    // A curator's daily list: each entry's buttons carry its own message's data behind "L:"; the
    // curator works through the entries one by one, as with the messages themselves.
    const listed = data.filter((d) => d.startsWith(LIST_BUTTON_PREFIX)).map((d) => d.slice(LIST_BUTTON_PREFIX.length));
    if (listed.length > 0) {
      let acted = false;
      for (const d of listed) if (await this.answer(p, [d])) acted = true;
      return acted;
    }
    const has = (re: RegExp) => data.find((d) => re.test(d));
    let d: string | undefined;
    if ((d = has(/^ma:/)) || (d = has(/^jr:a:/)) || (d = has(/^pc:/)) || (d = has(/^pl:ok:/))) {
      await this.send(callback(p.user, d));
      return true;
    }
    if ((d = has(/^pg:ok:/))) {
      // The mentee confirms the program (or, now and then, asks for a change).
      const change = has(/^pg:ch:/);
      if (change && this.rng.chance(0.15)) {
        await this.attempt(p, async () => {
          await this.send(callback(p.user, change));
          await this.say(p, "Прошу перенести открытое занятие на месяц позже");
        });
      } else {
        await this.send(callback(p.user, d));
        this.stats.programsConfirmed++;
      }
      return true;
    }
    if ((d = has(/^pg:ed:/)) && p.role === "mentor" && data.length === 1) {
      // Changes asked by the mentee (or the curator returned it): the mentor fills the draft in again.
      if (await this.draftProgram(p, d.slice(6), true)) this.stats.programsRedrafted++;
      return true;
    }
    if ((d = has(/^pg:dn:/))) {
      if (!this.rng.chance(0.7)) return false;
      await this.send(callback(p.user, d));
      this.stats.planItemsDone++;
      return true;
    }
    if ((d = has(/^pg:pk:/)) && p.role === "curator") {
      const revise = has(/^pg:rv:/);
      await this.send(callback(p.user, revise && this.rng.chance(0.3) ? revise : d));
      return true;
    }
    if ((d = has(/^pg:so:/)) && p.role === "mentor") {
      // A majority of the group confirmed: the mentor sometimes sends the program on without waiting for the rest.
      if (!this.rng.chance(0.5)) return false;
      await this.send(callback(p.user, d));
      return true;
    }
    if ((d = has(/^pg:ap:/)) && p.role === "curator") {
      await this.send(callback(p.user, d));
      this.stats.programsApproved++;
      return true;
    }
    if ((d = has(/^rc:[0-9a-f]{24}:/))) {
      const any = has(/^rc:[0-9a-f]{24}:any$/);
      await this.send(callback(p.user, any && this.rng.chance(0.3) ? any : d));
      return true;
    }
    if ((d = has(/^of:a:/))) {
      const offerId = d.slice(5);
      if (this.decided.has(offerId)) return false;
      this.decided.add(offerId);
      const r = this.rng.next();
      if (r < 0.55) {
        this.stats.accepted++;
        await this.send(callback(p.user, d));
      } else if (r < 0.75) {
        this.stats.declined++;
        await this.attempt(p, async () => {
          await this.press(p, `of:d:${offerId}`);
          await this.say(p, "Сейчас нет свободного времени");
        });
      } else this.stats.silent++;
      return true;
    }
    if ((d = has(/^mt:pk:[0-9a-f]{24}:0$/))) {
      const cancel = has(/^mt:cx:/);
      const cancelling = cancel !== undefined && this.rng.chance(0.1);
      if (cancelling) this.stats.meetingsCancelled++;
      await this.send(callback(p.user, cancelling ? cancel : d));
      return true;
    }
    if ((d = has(/^mt:yes:/))) {
      const cancel = has(/^mt:cx:/);
      const move = has(/^mt:rs:/);
      if (move && this.rng.chance(0.06)) {
        // "Перенести": the same meeting, new times offered to the other side.
        if (await this.attempt(p, async () => {
          await this.send(callback(p.user, move));
          await this.press(p, /^ss:sl:t:/);
          await this.press(p, "ss:sl:done");
        })) this.stats.meetingsMoved++;
        return true;
      }
      if (cancel && this.rng.chance(0.08)) {
        this.stats.meetingsCancelled++;
        await this.send(callback(p.user, cancel));
      } else if (this.rng.chance(0.6)) await this.send(callback(p.user, d));
      return true;
    }
    if ((d = has(/^mt:hd:/))) {
      if (this.rng.chance(0.8)) {
        this.stats.held++;
        await this.attempt(p, async () => {
          await this.send(callback(p.user, d as string));
          // A group's meeting: the host marks who came (those who said they would are ticked already).
          if (await this.markAttendance(p)) return;
          await this.say(p, "Разобрали план занятия и вопросы родителей");
          await this.say(p, "Провести занятие и обсудить его");
          await this.press(p, "ml:skip2");
        });
      } else {
        const missed = has(/^mt:ms:/);
        if (missed) {
          this.stats.missed++;
          await this.attempt(p, async () => {
            await this.send(callback(p.user, missed));
            if (await this.markAttendance(p)) return;
            // Who did not come (a pair's meeting: the one participant).
            const absent = this.fake.lastMessageTo(p.user.id)?.buttons.find((b) => /^ml:ab:t:/.test(b.data ?? ""));
            if (!absent?.data) return;
            await this.press(p, absent.data);
            await this.press(p, "ml:ab:done");
          });
        }
      }
      return true;
    }
    if ((d = has(/^sv:u:[0-9a-f]{24}:[1-5]$/))) {
      const id = d.split(":")[2] as string;
      await this.send(callback(p.user, `sv:u:${id}:${this.rng.int(2, 5)}`));
      return true;
    }
    if ((d = has(/^sv:s:/))) {
      const id = d.split(":")[2] as string;
      await this.send(callback(p.user, `sv:s:${id}:${this.rng.pick(["yes", "partly", "no"])}`));
      return true;
    }
    if ((d = has(/^pl:s:[0-9a-f]{24}:[1-5]$/))) {
      const id = d.split(":")[2] as string;
      await this.send(callback(p.user, `pl:s:${id}:${this.rng.int(1, 5)}`));
      return true;
    }
    if ((d = has(/^fs:s:/))) {
      await this.send(callback(p.user, d.replace(/:\d$/, `:${this.rng.int(3, 5)}`)));
      return true;
    }
    if ((d = has(/^qq:a:/))) {
      // A mentor answers a colleague's question (or its follow-up) most of the time; the first answer wins.
      if (!this.rng.chance(0.6)) return false;
      let wrote = false;
      await this.attempt(p, async () => {
        await this.send(callback(p.user, d as string));
        const toast = String(this.fake.sent("answerCallbackQuery").at(-1)?.payload.text ?? "");
        if (toast.includes("уже")) return; // answered by someone else meanwhile: nothing to write
        await this.say(p, this.rng.pick(["Начните с плана на неделю и обсудите его со старшим воспитателем.", "Посмотрите примеры в методическом кабинете, я покажу свои <конспекты> & заметки."]));
        wrote = true;
      });
      if (wrote) this.stats.questionsAnswered++;
      return true;
    }
    if ((d = has(/^qq:t:/))) {
      const follow = has(/^qq:f:/);
      if (follow && this.rng.chance(0.3)) {
        if (await this.attempt(p, async () => {
          await this.send(callback(p.user, follow));
          await this.say(p, "А если родители не согласны?");
        })) this.stats.followUps++;
      } else if (this.rng.chance(0.7)) {
        await this.send(callback(p.user, d));
        this.stats.thanks++;
      }
      return true;
    }
    if ((d = has(/^rq:o:/)) && p.role === "curator") {
      const requestId = d.slice(5);
      const ok = await this.attempt(p, async () => {
        await this.send(callback(p.user, d as string));
        await this.press(p, `rq:as:${requestId}`);
        await this.press(p, new RegExp(`^rq:pk:${requestId}:`));
        const last = this.fake.lastMessageTo(p.user.id);
        if (last && last.buttons.length === 0 && !/назначен/i.test(last.text)) await this.say(p, "Договорились на методическом совете");
      });
      if (ok) this.stats.assignedByCurator++;
      return true;
    }
    return false;
  }
}
