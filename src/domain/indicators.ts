import { assertCovers, DAY_MS, type DigestData, type Period } from "./digest.ts";
import { heldGroupMeetings, matchedAt } from "./digest-figures.ts";
import { growthOf } from "./self-assessment.ts";

/**
 * Program indicators (domain brief §4.6) for a scope and a period, from the digest's buckets:
 * each is a share or a mean with its numerator and denominator, so a report can show both and
 * "no data" is told apart from zero.
 */
export interface Indicator {
  key: "matched_7d" | "programs_completed" | "programs_packaged" | "satisfaction" | "adaptation" | "growth" | "practices_published" | "mentors_approved" | "group_attendance";
  /** A share (0–1), a mean, or a count; undefined when the denominator is 0. */
  value: number | undefined;
  numerator: number;
  denominator: number;
  kind: "share" | "mean" | "count";
}

export function computeIndicators(data: DigestData, scope: readonly string[] | null, period: Period, now: Date): Indicator[] {
  assertCovers(data, period, "the indicators");
  const ids = scope ?? [...data.buckets.keys()];
  let reqDen = 0;
  let reqNum = 0;
  let started = 0;
  let completed = 0;
  let packagedDen = 0;
  let packaged = 0;
  let satSum = 0;
  let satN = 0;
  let adSum = 0;
  let adN = 0;
  let growthSum = 0;
  let growthN = 0;
  let published = 0;
  let mentors = 0;
  let approved = 0;
  let groupPresent = 0;
  let groupExpected = 0;
  const inP = (at: Date | undefined | null) => at != null && at >= period.from && at < period.to;
  for (const id of ids) {
    const b = data.buckets.get(id);
    if (!b) continue;
    // 1. Requests created in the period, matched within 7 days (a request whose 7 days are not
    //    over yet and is not matched is not counted either way).
    for (const r of b.requests) {
      if (!inP(r.createdAt)) continue;
      const m = matchedAt(r);
      const within = m !== undefined && m.getTime() - r.createdAt.getTime() <= 7 * DAY_MS;
      if (within) {
        reqNum++;
        reqDen++;
      } else if (now.getTime() - r.createdAt.getTime() > 7 * DAY_MS || m !== undefined) reqDen++;
    }
    // 2–3. Programs that ended in the period: completed ÷ ended (completed or terminated);
    //      packaged as a practice ÷ programs with the curator's verdict.
    for (const p of b.programs) {
      if ((p.status === "completed" || p.status === "terminated") && inP(p.endedAt)) {
        started++;
        if (p.status === "completed") completed++;
      }
      // A packaged program counts as packaged whatever its end (on plan, goal achieved, early).
      if (p.outcome && inP(p.outcomeAt ?? p.endedAt)) {
        packagedDen++;
        if (p.outcome === "packaged") packaged++;
      }
    }
    // 4. Final surveys answered in the period.
    for (const f of b.finalSurveys) {
      if (!inP(f.answeredAt)) continue;
      if (f.satisfaction != null) {
        satSum += f.satisfaction;
        satN++;
      }
      if (f.adaptation != null) {
        adSum += f.adaptation;
        adN++;
      }
    }
    // 5. Growth: requests whose "end" self-assessment falls in the period.
    const byRequest = new Map<string, { start?: Array<{ topic: string; score: number }>; end?: Array<{ topic: string; score: number }>; endAt?: Date }>();
    for (const s of b.selfAssessments) {
      const e = byRequest.get(s.requestId.toString()) ?? {};
      e[s.phase] = s.scores;
      if (s.phase === "end") e.endAt = s.at;
      byRequest.set(s.requestId.toString(), e);
    }
    for (const e of byRequest.values()) {
      if (!e.start || !e.end || !inP(e.endAt)) continue;
      const g = growthOf(e.start, e.end);
      if (!g) continue;
      growthSum += g.mean;
      growthN++;
    }
    for (const p of b.practices) if (p.status === "published" && inP(p.publishedAt)) published++;
    for (const m of b.mentors) {
      mentors++;
      if (m.approved) approved++;
    }
    // 9. Attendance at the meetings of mentoring groups held in the period (issue 15): present ÷ expected participants.
    const groupMeetings = heldGroupMeetings(b, period);
    groupExpected += groupMeetings.expected;
    groupPresent += groupMeetings.present;
  }
  const share = (n: number, d: number) => (d ? n / d : undefined);
  return [
    { key: "matched_7d", kind: "share", numerator: reqNum, denominator: reqDen, value: share(reqNum, reqDen) },
    { key: "programs_completed", kind: "share", numerator: completed, denominator: started, value: share(completed, started) },
    { key: "programs_packaged", kind: "share", numerator: packaged, denominator: packagedDen, value: share(packaged, packagedDen) },
    { key: "satisfaction", kind: "mean", numerator: satSum, denominator: satN, value: share(satSum, satN) },
    { key: "adaptation", kind: "mean", numerator: adSum, denominator: adN, value: share(adSum, adN) },
    { key: "growth", kind: "mean", numerator: growthSum, denominator: growthN, value: share(growthSum, growthN) },
    { key: "practices_published", kind: "count", numerator: published, denominator: 1, value: published },
    { key: "mentors_approved", kind: "share", numerator: approved, denominator: mentors, value: share(approved, mentors) },
    { key: "group_attendance", kind: "share", numerator: groupPresent, denominator: groupExpected, value: share(groupPresent, groupExpected) },
  ];
}
