/**
 * "Did you mean …?" for mistyped commands, subcommands, flags and inventory pair names.
 */

/**
 * Edits allowed between a typo and a suggestion: two covers a swapped pair plus one slip; a short name allows half
 * its length (rounded up), else every two-letter flag would be "close" to any three-letter typo.
 */
const maxDistance = (known: string): number => Math.min(2, Math.ceil(known.length / 2));

/**
 * Optimal string alignment distance (Damerau–Levenshtein without repeated edits of one substring): insertions,
 * deletions, substitutions and swaps of two adjacent characters each cost 1.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...Array<number>(b.length).fill(0)]);
  const row0 = rows[0] as number[];
  for (let j = 0; j <= b.length; j++) row0[j] = j;
  const at = (i: number, j: number): number => (rows[i] as number[])[j] as number;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidates close to `input`, closest first: within two edits (case-insensitive; fewer for short names), or
 * starting with it (`for` → `force`, `stat` → `status`). At most `limit`.
 */
export function closeMatches(input: string, candidates: readonly string[], limit = 3): string[] {
  const typed = input.toLowerCase();
  if (typed === '') return [];
  return candidates
    .map((c) => {
      const known = c.toLowerCase();
      const distance = editDistance(typed, known);
      const prefix = typed.length >= 2 && known.startsWith(typed);
      return { c, rank: distance <= maxDistance(known) ? distance : prefix ? 3 : Infinity };
    })
    .filter((m) => m.rank !== Infinity && m.c !== input)
    .sort((x, y) => x.rank - y.rank || x.c.localeCompare(y.c))
    .slice(0, limit)
    .map((m) => m.c);
}

/** ` Did you mean 'x'?` / ` Did you mean 'x' or 'y'?`, or '' when nothing is close. `quote` wraps each name. */
export function didYouMean(input: string, candidates: readonly string[], quote = (s: string) => `'${s}'`): string {
  const close = closeMatches(input, candidates).map(quote);
  if (close.length === 0) return '';
  const last = close.pop() as string;
  return ` Did you mean ${close.length > 0 ? `${close.join(', ')} or ${last}` : last}?`;
}
