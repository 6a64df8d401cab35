// Shared harness of the fuzz suite (test/fuzz/*.test.ts): how many inputs each property gets, what
// counts as a typed error, and the `[fuzz] <parser>: N inputs, M returned, K typed errors` line each
// property prints when it ends.
//
// Runs: QK_FUZZ_RUNS when set (`npm run test:slow` sets 100,000), else the property's default — a
// few thousand, so the whole folder adds well under a minute to `npm test`. QK_FUZZ_SEED replays a
// failing run (fast-check prints the seed and the shrunk counterexample).
//
// A typed error is a QuorumkitError, or a TypeError/RangeError thrown on purpose at an argument
// boundary — never a SyntaxError, a stack overflow, "Cannot convert object to primitive value" or
// another engine-made error, and never a typed error wrapping one of those (`cause` is followed).
import fc from 'fast-check';
import { InternalError, QuorumkitError } from '../../src/core/errors.js';

/** Default inputs per property under `npm test`. */
export const DEFAULT_FUZZ_RUNS = 2000;

function envInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} expected a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** Inputs for one property: QK_FUZZ_RUNS when set, else `defaultRuns`. */
export function fuzzRuns(defaultRuns: number = DEFAULT_FUZZ_RUNS): number {
  return envInt('QK_FUZZ_RUNS') ?? defaultRuns;
}

/** Per-property time limit for vitest: generous, since QK_FUZZ_RUNS may be 100,000. */
export function fuzzTimeout(defaultRuns: number = DEFAULT_FUZZ_RUNS, msPerRun = 5): number {
  return Math.max(120_000, fuzzRuns(defaultRuns) * msPerRun * 3);
}

// Messages V8 (and the Web APIs Node implements) put on errors it makes itself: a TypeError or
// RangeError with one of these was not thrown on purpose by quorumkit.
const ENGINE_MESSAGES: readonly RegExp[] = [
  /Cannot read propert/, /Cannot set propert/, /Cannot convert/, /is not a function/, /is not iterable/, /is not a constructor/,
  /Maximum call stack/, /Invalid array length/, /Invalid string length/, /circular structure/, /Cannot create property/,
  /Cannot destructure/, /Cannot mix BigInt/, /serialize a BigInt/, /read.only property/, /not extensible/, /Invalid time value/,
  /Invalid typed array length/, /out of bounds/i, /outside the bounds/i, /Start offset/, /Invalid code point/, /Invalid count value/,
  /to a BigInt/, /Maximum BigInt size/, /Division by zero/, /before initialization/, /is not defined/, /Reduce of empty array/,
  /Invalid regular expression/, /The encoded data was not valid/, /Cannot (?:re)?define property/, /Private field/,
  /Cannot use 'in' operator/, /Invalid (?:array buffer|DataView) length/, /Array buffer allocation failed/, /detached/i,
  /Cannot perform/, /called on non-object/, /Cannot assign to/, /Object prototype may only be/, /Invalid value used/,
];

// The crashes that can hide inside a typed error's message (a catch that re-throws err.message).
// Only exact V8 phrasings: a QuorumkitError message quotes attacker keys, which may be any words.
const CRASH_PHRASES: readonly RegExp[] = [
  /Cannot read properties of (?:null|undefined)/, /Cannot convert object to primitive value/, /Cannot convert a (?:BigInt|Symbol) value/,
  /Maximum call stack size exceeded/, /Do not know how to serialize a BigInt/, /is not a function\b/, /is not iterable\b/,
];

/** Why `err` is not a typed error, or null when it is one. */
export function untypedReason(err: unknown): string | null {
  const seen = new Set<unknown>();
  for (let e: unknown = err, depth = 0; e !== undefined && !seen.has(e); depth++) {
    seen.add(e);
    const where = depth === 0 ? 'error' : `cause #${depth}`;
    if (e instanceof SyntaxError) return `${where} is a SyntaxError: ${e.message}`;
    const message = e instanceof Error ? e.message : '';
    const phrases = e instanceof QuorumkitError ? CRASH_PHRASES : ENGINE_MESSAGES;
    if (e instanceof Error && phrases.some((re) => re.test(message))) {
      // Wrapped engine errors from the platform's own decoders are fine as a *cause* (utf8Decode
      // wraps TextDecoder's TypeError on purpose); crashes are not.
      if (depth === 0 || !/The encoded data was not valid|detached|OperationError/.test(message)) {
        return `${where} ${e instanceof QuorumkitError ? 'carries an engine error message' : 'is an engine error'} (${e.name}: ${e.message})`;
      }
    }
    if (depth === 0) {
      if (e instanceof QuorumkitError) {
        if (e instanceof InternalError) return `error is an InternalError (an invariant broke): ${e.message}`;
      } else if (!(e instanceof TypeError || e instanceof RangeError)) {
        return `error is not typed (${e instanceof Error ? `${e.name}: ${e.message}` : typeof e})`;
      }
    }
    e = e instanceof Error ? e.cause : undefined;
  }
  return null;
}

/**
 * A defect found in code this suite does not fix (owned by other work): an untyped error whose
 * reason matches `reason` is counted and printed instead of failing the property. Keep each entry
 * narrow; anything else still fails.
 */
export interface KnownDefect {
  readonly reason: RegExp;
  readonly what: string;
}

/** The first src/ frame of the innermost error in `err`'s cause chain, e.g. `src/governance/_wire.ts:48`. */
export function srcFrame(err: unknown): string {
  let e: unknown = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  const m = e instanceof Error ? /(src\/[\w./-]+\.ts):(\d+)/.exec(e.stack ?? '') : null;
  return m === null ? 'no src frame' : `${m[1]}:${m[2]}`;
}

/** Counts what one parser did with its inputs. */
export class FuzzTally {
  returned = 0;
  typed = 0;
  known = 0;
  readonly notes = new Map<string, number>();
  constructor(readonly parser: string, readonly defects: readonly KnownDefect[] = []) {}

  /** Counts a typed error (or a known defect), or rethrows `err` with the reason when it is untyped. */
  error(err: unknown): void {
    const why = untypedReason(err);
    if (why !== null && this.defect(why, err)) return;
    if (why !== null) {
      const e = new Error(`${this.parser}: ${why}`, { cause: err });
      if (err instanceof Error && err.stack) e.stack = `${e.message}\n--- original stack ---\n${err.stack}`;
      throw e;
    }
    this.typed++;
  }

  /** Counts `reason` as a known defect (at the src/ line `err` came from) and returns true when it matches one. */
  defect(reason: string, err?: unknown): boolean {
    const d = this.defects.find((k) => k.reason.test(reason));
    if (d === undefined) return false;
    this.known++;
    this.note(`KNOWN DEFECT: ${d.what}${err === undefined ? '' : ` (${srcFrame(err)})`}`);
    return true;
  }

  /** Counts an extra observation (printed after the counts), e.g. `JSON.parse wrong`. */
  note(what: string, n = 1): void {
    this.notes.set(what, (this.notes.get(what) ?? 0) + n);
  }

  /** The summary line. */
  line(): string {
    const extra = [...this.notes].map(([k, v]) => `, ${v} ${k}`).join('');
    return `[fuzz] ${this.parser}: ${this.returned + this.typed + this.known} inputs, ${this.returned} returned, ${this.typed} typed errors${extra}`;
  }
}

function params(runs: number): fc.Parameters<unknown> {
  const seed = envInt('QK_FUZZ_SEED');
  return { numRuns: runs, ...(seed === undefined ? {} : { seed }), endOnFailure: false };
}

/** Runs one check and counts its outcome: returned, or a typed error (anything else is rethrown). */
function counted<T>(tally: FuzzTally, check: (input: T, tally: FuzzTally) => void | Promise<void>): (input: T) => void | Promise<void> {
  return (input) => {
    let pending: void | Promise<void>;
    try {
      pending = check(input, tally);
    } catch (err) {
      tally.error(err);
      return;
    }
    if (pending === undefined) {
      tally.returned++;
      return;
    }
    return pending.then(() => { tally.returned++; }, (err: unknown) => tally.error(err));
  };
}

/**
 * Runs `check` on `runs` inputs from `arb`: each call must return (any value; `check` asserts what
 * it needs) or throw a typed error. Prints the tally line and returns the tally.
 */
export function fuzzSync<T>(parser: string, arb: fc.Arbitrary<T>, check: (input: T, tally: FuzzTally) => void, runs = fuzzRuns(), defects: readonly KnownDefect[] = []): FuzzTally {
  const tally = new FuzzTally(parser, defects);
  fc.assert(fc.property(arb, counted(tally, check) as (input: T) => void), params(runs));
  console.log(tally.line());
  return tally;
}

/** {@link fuzzSync} for async checks. */
export async function fuzzAsync<T>(
  parser: string,
  arb: fc.Arbitrary<T>,
  check: (input: T, tally: FuzzTally) => Promise<void>,
  runs = fuzzRuns(),
  defects: readonly KnownDefect[] = [],
): Promise<FuzzTally> {
  const tally = new FuzzTally(parser, defects);
  await fc.assert(fc.asyncProperty(arb, async (input) => counted(tally, check)(input)), params(runs));
  console.log(tally.line());
  return tally;
}
