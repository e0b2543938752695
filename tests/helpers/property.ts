/**
 * How many cases a property test tries: its own count in the suite, times `PROPERTY_SCALE` when
 * set (`PROPERTY_SCALE=50 npx vitest run tests/working-hours.test.ts --testTimeout 0` to hunt for
 * rare counterexamples before they turn up in CI by chance).
 */
export function runs(count: number): number {
  const scale = Number(process.env.PROPERTY_SCALE ?? 1);
  return Math.max(1, Math.round(count * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}
