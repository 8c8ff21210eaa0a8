/**
 * Path patterns of fault rules and request-log filters: an exact path, a pattern whose `*` segments match one
 * path segment each (`**` matches any number of segments), or a regular expression when it starts with `^`.
 */

/** A compiled pattern: true when a request path (without query) matches. */
export type PathMatcher = (path: string) => boolean;

/** @throws Error with a readable message when a `^…` regular expression does not compile. */
export function compilePathPattern(pattern: string): PathMatcher {
  if (pattern.startsWith('^')) {
    const re = new RegExp(pattern);
    return (path) => re.test(path);
  }
  if (!pattern.includes('*')) return (path) => path === pattern;
  const want = pattern.split('/');
  return (path) => matchSegments(want, 0, path.split('/'), 0);
}

function matchSegments(want: string[], i: number, got: string[], j: number): boolean {
  if (i === want.length) return j === got.length;
  const w = want[i];
  if (w === '**') {
    for (let k = j; k <= got.length; k++) if (matchSegments(want, i + 1, got, k)) return true;
    return false;
  }
  if (j === got.length) return false;
  const g = got[j] ?? '';
  if (w === '*' ? g === '' : w !== g) return false;
  return matchSegments(want, i + 1, got, j + 1);
}
