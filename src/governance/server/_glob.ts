// Subject globs of vote policies (vote-policy.ts): anchored at both ends, `*` matches any run of
// UTF-16 code units (the empty run included), every other character matches itself. No other
// metacharacters, no escapes.
//
// The match is the two-pointer wildcard walk: on a mismatch it backtracks only to the most recent
// `*`, letting that star swallow one more character. An earlier star never needs revisiting — the
// later star can absorb anything the earlier one could have — so the work is O(|glob|·|text|) in
// the worst case, with no regular expression and no exponential backtracking (a `*`→`.*` regex
// takes tens of seconds on `*a*a*a*a*a*a*a*ab` against 64 `a`s).

/**
 * True when `text` matches `glob` in full (`*` = any run, everything else literal).
 * @example
 * matchGlob('did:pqaid:medical-*', 'did:pqaid:medical-ai'); // true
 * matchGlob('*.internal', 'svc.internal.x');                 // false: anchored at the end
 */
export function matchGlob(glob: string, text: string): boolean {
  let g = 0; // next glob position
  let t = 0; // next text position
  let star = -1; // glob position of the latest `*`, or -1
  let resume = 0; // text position that `*` will swallow up to on the next backtrack
  while (t < text.length) {
    const c = g < glob.length ? glob.charCodeAt(g) : -1;
    if (c === STAR) {
      star = g++;
      resume = t;
    } else if (c === text.charCodeAt(t)) {
      g++;
      t++;
    } else if (star >= 0) {
      g = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (g < glob.length && glob.charCodeAt(g) === STAR) g++;
  return g === glob.length;
}

const STAR = 0x2a;
