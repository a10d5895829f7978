/**
 * Near matches for a reference that names nothing: a mistyped code or e-mail is usually one or two
 * edits away from the one meant, so the error can offer it instead of only saying "not found".
 */

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] as number;
      prev[j] = Math.min(up + 1, (prev[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] as number;
}

/** Up to `max` candidates close to `value` (case-insensitive), closest first. */
export function nearMatches(value: string, candidates: readonly string[], max = 3): string[] {
  const want = value.toLowerCase();
  // Short names tolerate fewer edits, or every 3-letter code would match every other one.
  const limit = Math.max(1, Math.min(3, Math.floor(want.length / 3)));
  return [...new Set(candidates)]
    .map((c) => {
      const lc = c.toLowerCase();
      const d = distance(want, lc);
      const contains = want.length >= 4 && (lc.includes(want) || want.includes(lc));
      return { c, d: contains ? Math.min(d, limit) : d };
    })
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, max)
    .map((x) => x.c);
}
