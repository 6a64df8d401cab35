// The small argument checks every public entry point shares (STYLE.md "Check arguments once, at the
// public boundary"; after noble's `abytes` / `checkOpts`): bytes, strings, integers, plain objects,
// options objects that refuse unknown keys, and safe descriptions of values for error messages.
// Wrong types throw TypeError, wrong ranges RangeError; messages read `"seed" expected 32 bytes, got 31`.
//
// Describing a value never runs the caller's code: `String(x)` or a template literal on
// `{ toString: 0 }` throws "Cannot convert object to primitive value", and a getter, `toJSON` or
// `Symbol.toPrimitive` could do anything. So descriptions read only `typeof`, `Array.isArray`,
// prototypes and own data properties, and call built-in getters directly.

// ---------------------------------------------------------------- describing values

const MAX_PREVIEW_CHARS = 24;
const MAX_NAME_CHARS = 64;
const NAME_RE = /^[A-Za-z_$][\w$]*$/;

type ProxyCheck = (v: object) => boolean;
let proxyCheck: ProxyCheck | null | undefined; // undefined = not looked up yet, null = unavailable

/** `util.types.isProxy` where the runtime has it (Node, reached lazily so core stays browser-safe). */
function isProxy(v: object): boolean {
  if (proxyCheck === undefined) {
    proxyCheck = null;
    try {
      const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
      const util = proc?.getBuiltinModule?.('node:util') as { types?: { isProxy?: ProxyCheck } } | undefined;
      if (typeof util?.types?.isProxy === 'function') proxyCheck = util.types.isProxy;
    } catch {
      proxyCheck = null;
    }
  }
  return proxyCheck !== null && proxyCheck(v);
}

// The built-in getters, captured once: an own `byteLength` accessor on the value is never consulted.
const TYPED_ARRAY_PROTO = Object.getPrototypeOf(Uint8Array.prototype) as object;
const typedArrayByteLength = Object.getOwnPropertyDescriptor(TYPED_ARRAY_PROTO, 'byteLength')!.get!;
const TYPED_ARRAY_NAMES = new Map<object, string>(
  [Uint8Array, Uint8ClampedArray, Uint16Array, Uint32Array, Int8Array, Int16Array, Int32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array]
    .map((c) => [c.prototype as object, c.name]),
);

/** The name of the class whose prototype is `proto`, read from own data properties only, or null. */
function className(proto: object): string | null {
  if (isProxy(proto)) return null;
  const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor');
  if (ctor === undefined || !('value' in ctor) || typeof ctor.value !== 'function' || isProxy(ctor.value as object)) return null;
  const name = Object.getOwnPropertyDescriptor(ctor.value, 'name');
  if (name === undefined || !('value' in name) || typeof name.value !== 'string') return null;
  const n = name.value;
  return n.length > 0 && n.length <= MAX_NAME_CHARS && NAME_RE.test(n) ? n : null;
}

function describeObject(v: object): string {
  let isArray: boolean;
  try {
    isArray = Array.isArray(v);
  } catch {
    return 'revoked proxy';
  }
  if (isProxy(v)) return isArray ? 'array (proxy)' : 'object (proxy)';
  // A real array's `length` is an own, non-configurable data property: reading it runs no code.
  if (isArray) return `array of ${(v as unknown[]).length}`;
  const proto = Object.getPrototypeOf(v) as object | null;
  if (proto === null) return 'object with null prototype';
  if (proto === Object.prototype) return 'object';
  if (ArrayBuffer.isView(v)) {
    let p: object | null = proto;
    while (p !== null && !TYPED_ARRAY_NAMES.has(p)) p = Object.getPrototypeOf(p) as object | null;
    if (p !== null) {
      const base = TYPED_ARRAY_NAMES.get(p)!;
      const name = proto === p ? base : (className(proto) ?? base); // a subclass such as Buffer
      return `${name} of ${typedArrayByteLength.call(v) as number} bytes`;
    }
  }
  const name = className(proto);
  return name === null ? 'object' : `instance of ${name}`;
}

/**
 * A short description of a value's type, safe for any value and for secrets: it never shows a
 * string's or number's content. `null`, `undefined`, `string`, `number`, `bigint`, `boolean`,
 * `symbol`, `function`, `object`, `object with null prototype`, `array of 3`,
 * `Uint8Array of 32 bytes`, `instance of Map`, `object (proxy)` (Node only; elsewhere a Proxy is
 * described through its traps), `revoked proxy`. Never throws and never calls `toString`, `valueOf`,
 * `toJSON`, `Symbol.toPrimitive` or a getter of the value.
 * @example
 * throw new TypeError(`"secretKey" expected Uint8Array, got ${describeType(secretKey)}`);
 */
export function describeType(v: unknown): string {
  if (v === null) return 'null';
  const t = typeof v;
  if (t !== 'object') return t;
  try {
    return describeObject(v as object);
  } catch {
    return 'object';
  }
}

function previewString(s: string): string {
  if (s.length <= MAX_PREVIEW_CHARS) return JSON.stringify(s);
  let cut = MAX_PREVIEW_CHARS;
  const last = s.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--; // never split a surrogate pair
  return `${JSON.stringify(s.slice(0, cut)).slice(0, -1)}…"`;
}

/**
 * A short description of any value for error messages: {@link describeType}, plus the value of a
 * number or boolean and the first characters of a string, JSON-escaped (`string "abc…"`,
 * `number 1.5`, `boolean true`). Bigints and objects show only their type. Use
 * {@link describeType} where the value may be secret. Never throws and never runs the value's code.
 * @example
 * describeValue({ toString: 0 }); // 'object'
 * describeValue('x'.repeat(100));  // 'string "xxxxxxxxxxxxxxxxxxxxxxxx…"'
 * describeValue([1, 2, 3]);        // 'array of 3'
 */
export function describeValue(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return `string ${previewString(v)}`;
    case 'number':
      return `number ${numberText(v)}`;
    case 'boolean':
      return `boolean ${String(v)}`;
    default:
      return describeType(v);
  }
}

function numberText(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

// ---------------------------------------------------------------- checks

/**
 * True for a plain object: its prototype is `Object.prototype` or null (object literals, JSON
 * parse results, `Object.create(null)`). Arrays, class instances, Maps, typed arrays and functions
 * are not. Never throws (a revoked Proxy is not plain).
 */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  try {
    if (Array.isArray(v)) return false;
    const proto = Object.getPrototypeOf(v) as unknown;
    return proto === null || proto === Object.prototype;
  } catch {
    return false;
  }
}

/**
 * Checks that `v` is a Uint8Array (a Buffer is one), of exactly `length` bytes when given.
 * @throws TypeError `"name" expected Uint8Array, got string`; RangeError `"name" expected 32 bytes, got 31`.
 */
export function assertBytes(name: string, v: unknown, length?: number): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TypeError(`"${name}" expected Uint8Array, got ${describeType(v)}`);
  if (length !== undefined && v.length !== length) throw new RangeError(`"${name}" expected ${length} bytes, got ${v.length}`);
}

/**
 * Checks that `v` is a string.
 * @throws TypeError `"name" expected string, got number`.
 */
export function assertString(name: string, v: unknown): asserts v is string {
  if (typeof v !== 'string') throw new TypeError(`"${name}" expected string, got ${describeType(v)}`);
}

/**
 * Checks that `v` is an integer in [min, max] (both inclusive; use `Number.MAX_SAFE_INTEGER` for
 * "no upper bound"). A non-integer (1.5, NaN, ±Infinity) is a wrong type, not a wrong range.
 * @throws TypeError `"dkLen" expected an integer, got number 1.5` for a non-integer or non-number;
 *   RangeError `"dkLen" expected an integer in [0, 64], got 65` for an integer outside the range.
 */
export function assertInt(name: string, v: unknown, min: number, max: number): asserts v is number {
  if (!Number.isInteger(v)) throw new TypeError(`"${name}" expected an integer, got ${describeValue(v)}`);
  const n = v as number;
  if (n < min || n > max) throw new RangeError(`"${name}" expected an integer in [${min}, ${max}], got ${numberText(n)}`);
}

/**
 * Checks that `v` is a plain object (see {@link isPlainObject}): arrays, null and class instances
 * are refused.
 * @throws TypeError `"name" expected an object, got array of 2`.
 */
export function assertObject(name: string, v: unknown): asserts v is Record<string, unknown> {
  if (!isPlainObject(v)) throw new TypeError(`"${name}" expected an object, got ${describeType(v)}`);
}

const NO_OPTIONS: Readonly<Record<string, never>> = Object.freeze({});

/**
 * Checks an options object and returns it: `undefined` gives an empty object; anything but a plain
 * object is refused, and so is any own enumerable key not in `allowedKeys` — a misspelt or
 * unsupported option is an error, never silently ignored. Values are not checked here.
 * @throws TypeError `"options" expected an object, got string`;
 *   TypeError `"options" has unknown key "rnd" (expected one of context, deterministic)`.
 * @example
 * const SIGN_OPTION_KEYS = optionKeys<SignOptions>({ context: true, deterministic: true });
 * const opts = assertOptions('options', options, SIGN_OPTION_KEYS);
 */
export function assertOptions<T extends object>(name: string, options: T | undefined, allowedKeys: readonly string[]): T {
  if (options === undefined) return NO_OPTIONS as T;
  assertObject(name, options);
  for (const k of Object.keys(options)) {
    if (!allowedKeys.includes(k)) {
      const expected = allowedKeys.length === 0 ? 'no keys' : `one of ${allowedKeys.join(', ')}`;
      throw new TypeError(`"${name}" has unknown key ${previewString(k)} (expected ${expected})`);
    }
  }
  return options;
}

/**
 * The key list of an options type for {@link assertOptions}, written as a record so that the
 * compiler checks it names every key of `T` and nothing else: adding an option to the interface
 * without listing it here is a type error, not a runtime refusal of a documented option.
 * @example
 * const SIGN_OPTION_KEYS = optionKeys<MlDsaSignOptions>({ context: true, deterministic: true });
 */
export function optionKeys<T extends object>(keys: { readonly [K in keyof T]-?: true }): readonly (keyof T & string)[] {
  return Object.freeze(Object.keys(keys)) as readonly (keyof T & string)[];
}
