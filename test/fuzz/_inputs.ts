// Input generators of the fuzz suite: random bytes, JSON-looking text, JSON values with hostile
// keys and leaves ({"toString":0}, "__proto__", lone surrogates, one-character escaped keys), deep
// nesting, and mutations of valid artifacts (text edits, a changed/removed/added field at a random
// path, envelope-level tampering). Pure functions of their inputs; no quorumkit imports beyond core.
import fc from 'fast-check';
import { base64Decode, base64Encode, utf8Decode, utf8Encode } from '../../src/core/bytes.js';
import { canonicalize } from '../../src/core/canonical-json.js';
import { parseStrict } from '../../src/core/parse-strict.js';
import type { Envelope } from '../../src/envelope/types.js';

/** Characters that stress JSON parsers and encoders: quotes, escapes, controls, surrogates, non-ASCII. */
export const TRICKY_CHARS = [
  '"', '\\', '/', '\b', '\f', '\n', '\r', '\t', '\u0000', '\u001f', '\u007f', '\u2028', '\u2029', '\ufeff', '\ufffd',
  'é', '😂', '\ud800', '\udbff', '\udc00', '\udfff', '!', 'a', 'Z', '0', ' ', '{', '}', '[', ']', ':', ',', '-', '+', '.', 'e', 'E', 'u',
] as const;

const trickyChar = fc.constantFrom(...TRICKY_CHARS);
const anyUnit = fc.oneof(trickyChar, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)));

/** A short string of tricky characters and random UTF-16 units (lone surrogates included). */
export const trickyString = fc.string({ unit: anyUnit, maxLength: 12 });

/** Strings with no lone surrogate (what a well-formed JSON document holds). */
export const wellFormedString = fc.oneof(fc.string({ unit: fc.oneof(fc.constantFrom(...TRICKY_CHARS.filter((c) => !/[\ud800-\udfff]/.test(c))), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 12 }), fc.string());

/** Object keys: prototype names, one-character escaped keys, and random strings. */
export const trickyKey = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'toJSON', 'then', '', 'length', '0') },
  { weight: 3, arbitrary: trickyChar },
  { weight: 3, arbitrary: trickyString },
);

const wellFormedKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf', 'toJSON', '', '"', '\\', '\n', '\r', '\f', '\b', '\t', '/', '!', 'a', '\u2028'),
  wellFormedString,
);

const numberLeaf = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e308, -1e308, 5e-324, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 0.1, 1e21, 1e-7),
);

/** A class instance whose (non-enumerable) `constructor` is a throwing getter: describing it must not read it. */
const trapInstance: object = Object.defineProperty(new (class Trap {})(), 'constructor', {
  get: () => {
    throw new Error('read the constructor getter of a hostile value');
  },
});

/**
 * Objects built to crash naive code: toString/valueOf that are not functions, a toJSON, a
 * getter-free null prototype, an instance with a throwing `constructor` getter.
 */
export const hostileObject = fc.constantFrom<unknown>(
  { toString: 0 }, { valueOf: {} }, { toString: 0, valueOf: 0 }, { toJSON: 1 }, { length: -1 }, { length: 2 ** 40 },
  Object.create(null) as object, { __proto__: null, a: 1 } as object, [[]], { 0: 'a', length: 1 }, trapInstance,
);

/**
 * JSON values of depth ≤ 4 whose keys and strings are tricky (lone surrogates included when
 * `wellFormed` is false) — what a hostile peer can put in a JSON document, plus hostile objects.
 */
export function jsonValue(options: { wellFormed?: boolean; hostile?: boolean } = {}): fc.Arbitrary<unknown> {
  const str = options.wellFormed ? wellFormedString : trickyString;
  const key = options.wellFormed ? wellFormedKey : trickyKey;
  const leaf = fc.oneof(fc.constant(null), fc.boolean(), numberLeaf, str, ...(options.hostile ? [hostileObject] : []));
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('value'), { maxLength: 5 }),
      fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }).map(objectFromEntries),
    ),
  }));
  return value;
}

/** An object with exactly these entries, in order; a "__proto__" key stays an own data key (as parseStrict makes it). */
export function objectFromEntries(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  return o;
}

/** `n` nested arrays (or objects) around a leaf: deep nesting for depth limits. */
export function nested(n: number, kind: 'array' | 'object' = 'array'): unknown {
  let v: unknown = 0;
  for (let i = 0; i < n; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
}

/** Deeply nested values (0..12,000 levels), arrays or objects. */
export const deepValue = fc.tuple(fc.integer({ min: 0, max: 12000 }), fc.constantFrom<'array' | 'object'>('array', 'object')).map(([n, k]) => nested(n, k));

/** Any JS value at all: fast-check's anything, JSON values, hostile objects, bytes, bigints, sparse arrays. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withTypedArray: true, withSparseArray: true, withObjectString: true }),
  jsonValue({ hostile: true }),
  hostileObject,
  fc.uint8Array({ maxLength: 64 }),
  fc.bigInt(),
);

// ---------------------------------------------------------------- text

/** JSON-shaped text: serialized values (hostile keys, lone surrogates), mutations of them, and raw noise. */
export const jsonText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: jsonValue().map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 4, arbitrary: jsonValue().map((v) => JSON.stringify(v) ?? 'null').chain(mutateString) },
  { weight: 2, arbitrary: fc.string({ unit: anyUnit, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 4000 }), fc.constantFrom('[', '{"a":', '[{"":')).map(([n, open]) => open.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 500, max: 4000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\ufeff{}', '1e400', '-1e400', '123456789012345678901234567890', '01', '-', '"\\ud800"', '"\\uDC00\\uD800"', '{"a":1,"a":2}', '[1,]', '{"a":1,}', 'nul', 'true false', '"\u0000"', '[1e-400]', '1.', '.5', '+1', '"\\u12"', '"\\x41"') },
);

/** 1..4 edits of `s` (insert, delete, replace one unit, or duplicate a slice). */
export function mutateString(s: string): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.constantFrom('insert', 'delete', 'replace', 'duplicate'), fc.nat(), fc.nat({ max: 8 }), anyUnit);
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    let t = s;
    for (const [op, at, len, ch] of edits) {
      const i = t.length === 0 ? 0 : at % (t.length + 1);
      if (op === 'insert') t = t.slice(0, i) + ch + t.slice(i);
      else if (op === 'delete') t = t.slice(0, i) + t.slice(i + 1 + len);
      else if (op === 'replace') t = t.slice(0, i) + ch + t.slice(i + 1);
      else t = t.slice(0, i) + t.slice(i, i + len + 1) + t.slice(i);
    }
    return t;
  });
}

/** Random bytes, mostly short, sometimes long. */
export const randomBytes = fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ minLength: 64, maxLength: 5000 }));

/** 1..4 bit flips, truncations or extensions of `bytes`. */
export function mutateBytes(bytes: Uint8Array): fc.Arbitrary<Uint8Array> {
  const edit = fc.tuple(fc.constantFrom('flip', 'flip', 'flip', 'truncate', 'extend', 'zero'), fc.nat(), fc.nat({ max: 7 }), fc.uint8Array({ minLength: 1, maxLength: 8 }));
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    let b = bytes.slice();
    for (const [op, at, bit, extra] of edits) {
      const i = b.length === 0 ? 0 : at % b.length;
      if (op === 'flip' && b.length > 0) b[i]! ^= 1 << bit;
      else if (op === 'zero' && b.length > 0) b[i] = 0;
      else if (op === 'truncate') b = b.slice(0, i);
      else if (op === 'extend') {
        const n = new Uint8Array(b.length + extra.length);
        n.set(b);
        n.set(extra, b.length);
        b = n;
      }
    }
    return b;
  });
}

// ---------------------------------------------------------------- JSON value mutations

type Path = (string | number)[];

function paths(v: unknown, here: Path = [], out: Path[] = []): Path[] {
  out.push(here);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...here, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) paths((v as Record<string, unknown>)[k], [...here, k], out);
  return out;
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Replaces the value at `path` of `root` (returns the new root). */
function setAt(root: unknown, path: Path, f: (old: unknown, parent: unknown, key: string | number | undefined) => unknown): unknown {
  if (path.length === 0) return f(root, undefined, undefined);
  const copy = clone(root);
  let parent = copy as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  const next = f(parent[last], parent, last);
  if (next === REMOVE) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else {
    Object.defineProperty(parent, last, { value: next, writable: true, enumerable: true, configurable: true });
  }
  return copy;
}

const REMOVE = Symbol('remove');

/** Small changes of one leaf: a near value of the same type, or another type. */
function tweak(old: unknown, replacement: unknown, pick: number): unknown {
  switch (typeof old) {
    case 'number':
      return [old + 1, old - 1, -old, old * 2 ** 53, String(old), null, 0.5, replacement][pick % 8];
    case 'string':
      return [old + 'x', old.slice(1), old.toUpperCase(), old + '\ud800', '', `${old} `, Number(old), replacement][pick % 8];
    case 'boolean':
      return [!old, String(old), replacement][pick % 3];
    default:
      return replacement;
  }
}

/**
 * 1..3 changes of a JSON value at random paths: tweak a leaf, replace a value (by a random or
 * hostile one), remove a member/element, add a member, or duplicate an array element.
 */
export function mutateValue(v: unknown): fc.Arbitrary<unknown> {
  const all = paths(v);
  const op = fc.tuple(fc.nat({ max: all.length - 1 }), fc.constantFrom('tweak', 'tweak', 'replace', 'remove', 'add', 'duplicate'), fc.nat(), jsonValue({ hostile: true }), trickyKey);
  return fc.array(op, { minLength: 1, maxLength: 3 }).map((ops) => {
    let root = clone(v);
    for (const [pi, kind, pick, replacement, key] of ops) {
      const live = paths(root);
      const path = live[pi % live.length]!;
      root = setAt(root, path, (old) => {
        if (kind === 'tweak') return tweak(old, replacement, pick);
        if (kind === 'replace') return replacement;
        if (kind === 'remove') return path.length === 0 ? null : REMOVE;
        if (kind === 'add' && old !== null && typeof old === 'object' && !Array.isArray(old)) return objectFromEntries([...Object.entries(old), [key, replacement]]);
        if (kind === 'duplicate' && Array.isArray(old) && old.length > 0) return [...old, old[pick % old.length]];
        return tweak(old, replacement, pick);
      });
    }
    return root;
  });
}

// ---------------------------------------------------------------- envelope mutations

/** A mutated envelope and the names of the mutations applied. */
export interface MutatedEnvelope {
  readonly env: unknown;
  readonly what: string;
}

function payloadBody(env: Envelope): unknown {
  return parseStrict(utf8Decode(base64Decode(env.payload)));
}

function encodeBody(body: unknown): string {
  let text: string;
  try {
    text = canonicalize(body);
  } catch {
    text = JSON.stringify(body) ?? 'null';
  }
  try {
    return base64Encode(utf8Encode(text));
  } catch {
    return base64Encode(new TextEncoder().encode(text));
  }
}

/**
 * Mutations of a valid signed envelope that no verifier may accept: a payload bit, an edited body
 * (re-encoded canonically, signatures kept), a non-canonical re-encoding, a changed payloadType, a
 * dropped signature, a signature replaced by a copy of another or by one from `foreign`, a flipped
 * signature bit, a changed signature field, an extra field, or any change at a random path.
 */
export function mutateEnvelope(env: Envelope, foreign: readonly Envelope[] = []): fc.Arbitrary<MutatedEnvelope> {
  const body = payloadBody(env);
  const n = env.signatures.length;
  const sigIndex = fc.nat({ max: Math.max(0, n - 1) });
  const withSigs = (sigs: unknown[]): unknown => ({ ...env, signatures: sigs });
  const ops: fc.Arbitrary<MutatedEnvelope>[] = [
    mutateBytes(base64Decode(env.payload)).map((b) => ({ env: { ...env, payload: base64Encode(b) }, what: 'payload bytes' })),
    mutateString(env.payload).map((p) => ({ env: { ...env, payload: p }, what: 'payload text' })),
    mutateValue(body).map((b) => ({ env: { ...env, payload: encodeBody(b) }, what: 'body field' })),
    fc.constantFrom(' ', '\n', '\t').map((ws) => ({ env: { ...env, payload: base64Encode(utf8Encode(`${ws}${canonicalize(body)}`)) }, what: 'non-canonical payload' })),
    fc.oneof(mutateString(env.payloadType), trickyString, fc.constantFrom('application/vnd.quorumkit.note+json;v=1', 'application/vnd.quorumkit.governance.vote+json;v=1', 'application/vnd.quorumkit.governance.proposal+json;v=1', 'application/vnd.quorumkit.governance.result+json;v=1', 'application/vnd.quorumkit.log-checkpoint+json;v=1', env.payloadType.toUpperCase(), `${env.payloadType} `))
      .filter((t) => t !== env.payloadType)
      .map((t) => ({ env: { ...env, payloadType: t }, what: 'payloadType' })),
    sigIndex.map((i) => ({ env: withSigs(env.signatures.filter((_, j) => j !== i)), what: 'drop signature' })),
    fc.tuple(sigIndex, fc.nat(), fc.nat({ max: 7 })).map(([i, at, bit]) => {
      const s0 = env.signatures[i];
      let sig: Uint8Array;
      try {
        sig = base64Decode(s0?.sig ?? '');
      } catch {
        sig = new Uint8Array(0); // an earlier mutation already broke it
      }
      if (sig.length > 0) sig[at % sig.length]! ^= 1 << bit;
      return { env: withSigs(env.signatures.map((s, k) => (k === i ? { ...s, sig: base64Encode(sig) } : s))), what: 'signature bit' };
    }),
    fc.tuple(sigIndex, mutateValue(env.signatures[0] ?? {})).map(([i, s]) => ({ env: withSigs(env.signatures.map((x, k) => (k === i ? s : x))), what: 'signature field' })),
    fc.tuple(trickyKey, jsonValue()).filter(([k]) => !['payloadType', 'payload', 'signatures'].includes(k)).map(([k, v]) => ({ env: objectFromEntries([...Object.entries(env), [k, v]]), what: 'extra field' })),
    mutateValue(env).map((e) => ({ env: e, what: 'any field' })),
  ];
  if (n >= 2) {
    ops.push(fc.tuple(sigIndex, fc.integer({ min: 1, max: n - 1 })).map(([i, d]) => ({ env: withSigs(env.signatures.map((s, k) => (k === i ? env.signatures[(i + d) % n]! : s))), what: 'signature replaced by a copy of another' })));
  }
  if (foreign.length > 0) {
    ops.push(fc.tuple(sigIndex, fc.constantFrom(...foreign), fc.nat()).map(([i, f, j]) => ({ env: withSigs(env.signatures.map((s, k) => (k === i ? f.signatures[j % f.signatures.length]! : s))), what: 'foreign signature' })));
    ops.push(fc.constantFrom(...foreign).map((f) => ({ env: { ...env, payload: f.payload }, what: 'foreign payload' })));
    ops.push(fc.constantFrom(...foreign).map((f) => ({ env: { ...env, signatures: f.signatures }, what: 'foreign signatures' })));
  }
  const one = fc.oneof(...ops);
  return fc.oneof(
    { weight: 3, arbitrary: one },
    // a second mutation on top of the first, when the first left an envelope-shaped object
    { weight: 1, arbitrary: one.chain((m) => (isEnvelopeLike(m.env) ? mutateEnvelope(m.env, foreign).map((m2) => ({ env: m2.env, what: `${m.what} + ${m2.what}` })) : fc.constant(m))) },
  );
}

function isEnvelopeLike(v: unknown): v is Envelope {
  if (v === null || typeof v !== 'object') return false;
  const e = v as Record<string, unknown>;
  if (typeof e.payload !== 'string' || typeof e.payloadType !== 'string' || !Array.isArray(e.signatures) || e.signatures.length === 0) return false;
  try {
    payloadBody(e as unknown as Envelope);
    return e.signatures.every((s) => s !== null && typeof s === 'object' && typeof (s as { sig?: unknown }).sig === 'string' && (s as { sig: string }).sig.length > 0);
  } catch {
    return false;
  }
}

/** True when `a` is a byte array with exactly the bytes of `b`. */
export function sameBytes(a: unknown, b: Uint8Array): boolean {
  return a instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
}

/** True when `a` and `b` are the same JSON (a mutation that changed nothing). */
export function sameJson(a: unknown, b: unknown): boolean {
  try {
    return canonicalize(a) === canonicalize(b);
  } catch {
    return false;
  }
}
