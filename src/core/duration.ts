/** Durations as people write them in configuration: `90s`, `15m`, `1h30m`, `48h`, `28d`, `2w`. */
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

export function parseDuration(text: string): number | undefined {
  const value = text.trim().toLowerCase();
  if (!/^(\d+(ms|s|m|h|d|w))+$/.test(value)) return undefined;
  let total = 0;
  for (const match of value.matchAll(/(\d+)(ms|s|m|h|d|w)/g)) {
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  }
  return total > 0 ? total : undefined;
}

/** Parses a comma-separated list of durations (`24h,1h,15m`); undefined if any part is invalid. */
export function parseDurationList(text: string): number[] | undefined {
  const parts = text.split(",").map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    const ms = parseDuration(p);
    if (ms === undefined) return undefined;
    out.push(ms);
  }
  return out;
}
