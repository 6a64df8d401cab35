// The canonical writers (RFC 8785 canonicalize, Python json.dumps canonicalizePython) bound their
// nesting like parseStrict: at most 512 levels of arrays/objects by default (maxDepth 1..2048),
// deeper values are refused with ERR_JSON_NOT_IJSON — never a stack overflow (which the recursive
// walk hit at ~7,000 levels).
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../src/core/canonical-json.js';
import { canonicalizePython } from '../../src/core/canonical-python.js';
import { isQuorumkitError } from '../../src/core/errors.js';
import { parseStrict, PARSE_MAX_DEPTH } from '../../src/core/parse-strict.js';

function nested(n: number, kind: 'array' | 'object'): unknown {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = kind === 'array' ? [v] : { k: v };
  return v;
}

function errorOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

const WRITERS = [
  ['canonicalize', (v: unknown, o?: { maxDepth?: number }) => canonicalize(v, o)],
  ['canonicalizePython', (v: unknown, o?: { maxDepth?: number }) => canonicalizePython(v, o)],
] as const;

for (const [name, write] of WRITERS) {
  describe(`${name} nesting limit`, () => {
    it('refuses 10,000 and 100,000 nested levels with ERR_JSON_NOT_IJSON instead of overflowing the stack', () => {
      for (const n of [10_000, 100_000]) {
        for (const kind of ['array', 'object'] as const) {
          const e = errorOf(() => write(nested(n, kind)));
          expect(isQuorumkitError(e, 'ERR_JSON_NOT_IJSON'), `${n} ${kind}s: ${String(e)}`).toBe(true);
          expect((e as Error).message).toContain('deeper than 512 levels');
        }
      }
    });

    it('writes exactly PARSE_MAX_DEPTH (512) levels, the most parseStrict reads back by default, and refuses 513', () => {
      expect(PARSE_MAX_DEPTH).toBe(512);
      const text = write(nested(512, 'array'));
      expect(parseStrict(text)).toEqual(nested(512, 'array'));
      expect(isQuorumkitError(errorOf(() => write(nested(513, 'array'))), 'ERR_JSON_NOT_IJSON')).toBe(true);
      expect(isQuorumkitError(errorOf(() => parseStrict(write(nested(513, 'array'), { maxDepth: 513 }))), 'ERR_JSON_PARSE')).toBe(true);
    });

    it('takes maxDepth 1..2048 like parseStrict, and a RangeError for anything else', () => {
      expect(write([[1]], { maxDepth: 2 })).toBe('[[1]]');
      expect(isQuorumkitError(errorOf(() => write([[1]], { maxDepth: 1 })), 'ERR_JSON_NOT_IJSON')).toBe(true);
      expect(write(nested(2048, 'object'), { maxDepth: 2048 }).length).toBeGreaterThan(2048 * 6);
      expect(write(1, { maxDepth: 1 })).toBe('1'); // leaves do not count as a level
      for (const bad of [0, 2049, 1.5, NaN, '512', null, { toString: 0 }]) {
        expect(() => write([], { maxDepth: bad as never }), String(typeof bad)).toThrow(RangeError);
      }
    });

    it('counts depth along one path only: wide shallow values pass', () => {
      const wide = Array.from({ length: 5000 }, (_, i) => ({ i, a: [[i]] }));
      expect(() => write(wide)).not.toThrow();
    });
  });
}
