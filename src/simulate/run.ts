import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import mongoose from "mongoose";
import { connectDatabase } from "../db/connection.ts";
import { startEmbeddedDatabase } from "../db/embedded.ts";
import { simulate } from "./simulator.ts";
import "../../models/index.ts";

/**
 * `npm run simulate -- --seed N --days D [--seeds K] [--mentees M] [--quick] [--working-hours]`: a simulated mentoring year on a fresh
 * database (--quick enrols all but two people without the chat; MONGODB_URI when set, else the embedded server in a temporary folder). Prints a line
 * per week (every day with SIM_VERBOSE=1) and, at the end, the first violation with its seed and day; exits 1 on a violation.
 */
const { values } = parseArgs({
  options: { quick: { type: "boolean", default: false }, "working-hours": { type: "boolean", default: false }, mentees: { type: "string" }, seed: { type: "string", default: "1" }, days: { type: "string", default: "365" }, seeds: { type: "string", default: "1" } },
});
const firstSeed = Number(values.seed);
const days = Number(values.days);
const seeds = Number(values.seeds);

const dir = mkdtempSync(join(tmpdir(), "nastavnik-simulate-"));
const embedded = process.env.MONGODB_URI ? undefined : await startEmbeddedDatabase(dir, undefined, { ephemeral: true });
const uri = process.env.MONGODB_URI ?? (embedded?.uri as string);
// Interrupted (Ctrl-C, a kill), the run stops its database and removes its files as it does at the end.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    process.stdout.write(`${signal}: stopping the simulation's database\n`);
    void (embedded?.stop() ?? Promise.resolve()).finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  });
}
let failed = false;
try {
  for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
    await connectDatabase(uri, { dbName: `simulate_${seed}_${Date.now()}`, readUri: embedded?.readUri });
    const result = await simulate({
      seed,
      days,
      mentees: values.mentees === undefined ? undefined : Number(values.mentees),
      enrolment: values.quick ? "quick" : "chat",
      workingHours: values["working-hours"],
      onDay: (day, s) => {
        if (day % 7 === 0 || process.env.SIM_VERBOSE) process.stdout.write(`${new Date().toISOString().slice(11, 19)} seed ${seed} day ${day}: requests ${JSON.stringify(s.requests)}, accepted ${s.accepted}, declined ${s.declined}, silent ${s.silent}, sessions ${s.sessionsProposed}, moved ${s.meetingsMoved}, held ${s.held}, missed ${s.missed}, programs drafted ${s.programsDrafted} confirmed ${s.programsConfirmed} approved ${s.programsApproved} redrafted ${s.programsRedrafted} items done ${s.planItemsDone} ended ${s.programsEnded}, curator assignments ${s.assignedByCurator}, questions answered ${s.questionsAnswered}, thanks ${s.thanks}, groups opened ${s.groupsOpened} joined ${s.groupsJoined} meetings ${s.groupMeetings} attendance ${s.groupAttendance} programs ${s.groupProgramsDrafted} left ${s.groupsLeft} ended ${s.groupsEnded}, stuck ${s.stuck}\n`);
      },
    });
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
    const summary = { seed, days: result.days, seconds: Math.round(result.ms / 100) / 10, stats: result.stats, expectedFailures: result.expectedFailures };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    if (result.failedDay !== undefined) {
      failed = true;
      process.stdout.write(`VIOLATION (seed ${seed}, day ${result.failedDay}):\n${result.violations.map((v) => `  [${v.invariant}] ${v.detail}`).join("\n")}\n`);
      break;
    }
    process.stdout.write(`seed ${seed}: ${result.days} days clean in ${summary.seconds} s\n`);
  }
} finally {
  await embedded?.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
