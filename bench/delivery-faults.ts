import { Types } from "mongoose";
import { withBenchDatabase } from "./database.ts";
import { buildTestBot } from "../src/simulate/harness.ts";
import { injectDeliveryFaults } from "../src/simulate/fake-telegram.ts";
import { makeUser, textMessage } from "../src/simulate/updates.ts";
import { addOrganization } from "../src/domain/organizations.ts";
import { MEETING_REMINDER_JOB } from "../src/domain/meetings.ts";
import { Job, Meeting, OutboxMessage, User } from "../models/index.ts";

/**
 * `node bench/delivery-faults.ts`: issue 13's dispatch figure. BENCH_REMINDERS (default 1,000)
 * meeting reminders fall due at once (half as many pair meetings, a reminder to each side) and go
 * out through the real job handlers and the outbox to a fake Bot API that injects faults per
 * recipient: two 500s (15 %), one 429 with retry_after 1–60 s (15 %), network error + 500 +
 * network error (15 %), 403 "blocked" (10 %; these people then write to the bot, which delivers
 * what was parked). The clock is simulated: each round advances it 5 minutes and ticks the queue.
 * The run fails unless every reminder reaches its recipient exactly once.
 */

const N = Number(process.env.BENCH_REMINDERS ?? 1000);
const MEETINGS = Math.ceil(N / 2);

await withBenchDatabase("delivery", async (label) => {
  let now = new Date("2026-12-07T06:00:00Z").getTime(); // a Monday morning: working hours do not hold anything back
  const clock = { now: () => new Date(now) };
  const t = buildTestBot({ clock });
  const org = await addOrganization({ shortName: "МБДОУ «Детский сад № 7»", timezone: "Europe/Moscow" });
  if (!org.ok) throw org.error;
  const orgId = new Types.ObjectId(org.value.id);

  const people = Array.from({ length: MEETINGS * 2 }, (_, i) => makeUser(3_100_000 + i, `Коллега ${i}`));
  await User.insertMany(
    people.map((p, i) => ({
      telegramId: p.id,
      locale: "ru",
      organizationId: orgId,
      registeredAt: new Date(now - 86_400_000),
      roles: [{ role: i % 2 === 0 ? "mentor" : "mentee", organizationId: orgId, grantedAt: new Date(now - 86_400_000) }],
      profile: { fullName: `${i % 2 === 0 ? "Наставник" : "Педагог"} ${i}`, gender: "female" },
    })),
  );
  const ids = await User.find({ organizationId: orgId }, { telegramId: 1 }).lean();
  const byTg = new Map(ids.map((u) => [u.telegramId, u._id]));
  const startAt = new Date(now + 3 * 3_600_000);
  const meetings = await Meeting.insertMany(
    Array.from({ length: MEETINGS }, (_, i) => ({
      kind: "pair",
      organizationId: orgId,
      hostId: byTg.get(people[2 * i]!.id),
      participantIds: [byTg.get(people[2 * i + 1]!.id)],
      startAt,
      durationMin: 30,
      mode: "online",
      topic: "Адаптация ребёнка в группе",
      status: "confirmed",
    })),
  );
  for (const m of meetings) {
    await t.queue.enqueue({
      type: MEETING_REMINDER_JOB,
      key: `meeting:${m._id}:reminder:${3_600_000}:${startAt.getTime()}`,
      runAt: new Date(now),
      payload: { meetingId: m._id.toString(), startAt: startAt.toISOString(), offsetMs: 3_600_000 },
    });
  }

  const { byKind: tally, blocked } = injectDeliveryFaults(t.fake, people.map((p) => p.id));

  const started = performance.now();
  let rounds = 0;
  await t.queue.tick();
  const due = () => Job.countDocuments({ type: MEETING_REMINDER_JOB });
  while (rounds < 40 && (await OutboxMessage.countDocuments({ status: "pending" })) + (await due()) > 0) {
    rounds++;
    now += 5 * 60_000;
    await t.queue.tick();
  }
  const dispatchMs = performance.now() - started;
  const parked = await OutboxMessage.countDocuments({ status: "parked" });
  // The blocked people unblock the bot and write to it: what was parked and is still relevant goes out.
  for (const p of people) if (blocked.has(p.id)) await t.send(textMessage(p, "Здравствуйте"));

  const reminders = t.fake.sent("sendMessage").filter((c) => String(c.payload.text).includes("Адаптация ребёнка в группе"));
  const perChat = new Map<number, number>();
  for (const c of reminders) perChat.set(Number(c.payload.chat_id), (perChat.get(Number(c.payload.chat_id)) ?? 0) + 1);
  const duplicates = [...perChat.values()].filter((n) => n > 1).length;
  const lost = people.filter((p) => !perChat.has(p.id)).length;
  const failedCalls = t.fake.calls.filter((c) => c.method === "sendMessage" && c.failed).length;

  console.log(`delivery under injected faults (${label}; simulated clock, 5 min per round)`);
  console.log(`| reminders | faults injected (500 / 429 / network / 403) | failed calls | rounds | parked, then delivered | duplicates | lost | wall s |`);
  console.log(`|---|---|---|---|---|---|---|---|`);
  console.log(
    `| ${people.length} | ${tally["500"]} / ${tally["429"]} / ${tally.network} / ${tally["403"]} | ${failedCalls} | ${rounds} | ${parked} | ${duplicates} | ${lost} | ${(dispatchMs / 1000).toFixed(1)} |`,
  );
  if (duplicates > 0 || lost > 0) {
    console.error("FAILED: every reminder must reach its recipient exactly once");
    process.exitCode = 1;
  }
});
