import { PROGRAM_END_JOB, PROGRAM_ITEM_JOB, programItemDue, type ProgramDeps } from "../src/domain/programs.ts";
import { activeGroupProgramGroupId, programEnd } from "../src/domain/program-endings.ts";
import { endGroup } from "../src/domain/groups.ts";
import { sendNotices, type OutboxDeps } from "../src/messaging/outbox.ts";
import type { JobQueue } from "./queue.ts";

/**
 * Program jobs: the due-day reminder of a plan item (useless a week late: then dropped) and the
 * end of a program on its end date (always run, however late: the pair must still be closed). A
 * group's program ends with its group: the group is completed on the program's end date.
 */
export function registerProgramJobs(queue: JobQueue, outbox: OutboxDeps, deps: ProgramDeps): void {
  queue.register(
    PROGRAM_ITEM_JOB,
    async (payload, info) => {
      const p = payload as { programId: string; itemId: string };
      await sendNotices(outbox, await programItemDue(p.programId, p.itemId), `job:${info.job.key}`);
    },
    { graceMs: 7 * 24 * 3_600_000 },
  );
  queue.register(
    PROGRAM_END_JOB,
    async (payload, info) => {
      const p = payload as { programId: string };
      const groupId = await activeGroupProgramGroupId(p.programId);
      const notices = groupId ? (await endGroup(groupId, null, false, "completed", info.now, deps)).notices : await programEnd(p.programId, info.now, deps);
      await sendNotices(outbox, notices, `job:${info.job.key}`);
    },
    { graceMs: 365 * 24 * 3_600_000 },
  );
}
