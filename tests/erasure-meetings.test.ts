import { describe, expect, it } from "vitest";
import { useTestDatabase } from "./helpers/db.ts";
import { pairUp, press, say } from "./helpers/scenario.ts";
import mongoose from "mongoose";
import { Job, Meeting, Pair, User } from "../models/index.ts";
import { scheduleMeetingJobs } from "../src/domain/meetings.ts";

useTestDatabase({ resetBetweenTests: true });

describe("erasure and meetings", () => {
  it("/deleteme cancels the person's upcoming meetings with their reminders and clears the texts of meetings they logged", async () => {
    const { c, t, m, mentee } = await pairUp();
    const pair = (await Pair.findOne({ status: "active" }).lean())!;
    const base = { kind: "pair" as const, pairId: pair._id, organizationId: pair.organizationId, hostId: pair.mentorId, participantIds: [pair.menteeId], durationMin: 30, mode: "online" as const };
    const upcoming = await Meeting.create({ ...base, topic: "Видео", status: "confirmed", startAt: new Date(c.now().getTime() + 2 * 86_400_000) });
    await scheduleMeetingJobs(upcoming._id, upcoming.startAt as Date, 30, c.now(), { scheduler: t.queue, reminderOffsetsMs: [86_400_000, 3_600_000], followupDelayMs: 1_800_000 });
    const past = await Meeting.create({ ...base, topic: "Портфолио", status: "held", startAt: new Date(c.now().getTime() - 86_400_000), log: { covered: "Обсудили Катины трудности", nextStep: "Позвонить Кате", loggedAt: c.now() } });
    expect(await Job.countDocuments({ key: { $regex: `^meeting:${upcoming._id}:` }, status: "pending" })).toBeGreaterThan(0);

    // The mentee leaves: the upcoming meeting is cancelled and its reminders go.
    await say(t, mentee, "/deleteme");
    await press(t, mentee, "del:yes");
    expect((await Meeting.findById(upcoming._id).lean())?.status).toBe("cancelled");
    expect(await Job.countDocuments({ key: { $regex: `^meeting:${upcoming._id}:` }, status: "pending" })).toBe(0);

    // The mentor leaves too: what they wrote in the log goes; the held meeting stays for the figures.
    await say(t, m, "/deleteme");
    await press(t, m, "del:yes");
    const kept = (await Meeting.findById(past._id).lean())!;
    expect(kept.status).toBe("held");
    expect(kept.log?.covered).toBeUndefined();
    expect(kept.log?.nextStep).toBeUndefined();
  });

  it("after /deleteme the person's name, handle, Telegram id, free texts and internal id survive nowhere, not even in other people's meeting logs", async () => {
    const { c, t, mentee } = await pairUp();
    const pair = (await Pair.findOne({ status: "active" }).lean())!;
    const menteeId = (await User.findOne({ telegramId: mentee.id }).lean())!._id.toString();
    await Meeting.create({
      kind: "pair", pairId: pair._id, organizationId: pair.organizationId, hostId: pair.mentorId, participantIds: [pair.menteeId], durationMin: 30, mode: "online",
      topic: "Видео", status: "held", startAt: new Date(c.now().getTime() - 86_400_000),
      log: { covered: "Обсудили с Kate Morozova её ролик; Kate нужен штатив", nextStep: "@kate_msk пришлёт черновик Morozovой", loggedAt: c.now() },
    });
    await say(t, mentee, "/deleteme");
    await press(t, mentee, "del:yes");
    const kept = (await Meeting.findOne({ status: "held" }).lean())!;
    expect(kept.log?.covered).toBe("Обсудили с … … её ролик; … нужен штатив");

    // Every string stored anywhere (ObjectId references of anonymised records are not copies).
    const needles = ["Kate", "Morozova", "kate_msk", String(mentee.id), "short video for parents", menteeId];
    const hits: string[] = [];
    const walk = (where: string, v: unknown): void => {
      if (typeof v === "string" || typeof v === "number") {
        for (const n of needles) if (String(v).includes(n)) hits.push(`${where}: ${n}`);
      } else if (Array.isArray(v)) v.forEach((x, i) => walk(`${where}[${i}]`, x));
      else if (v && typeof v === "object" && !(v instanceof mongoose.Types.ObjectId) && !(v instanceof Date)) for (const [k, x] of Object.entries(v)) walk(`${where}.${k}`, x);
    };
    const db = mongoose.connection.db!;
    for (const { name } of await db.listCollections().toArray()) {
      for (const doc of await db.collection(name).find({}).toArray()) walk(name, doc);
    }
    expect(hits).toEqual([]);
  });
});
