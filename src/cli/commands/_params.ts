// `--param key=value` arguments of `quorumkit governance propose`: a value that looks like a JSON
// number, literal, object or array is parsed with parseStrict (DESIGN.md "Parsing JSON"); anything
// else, or anything parseStrict refuses, stays the literal string.

import { parseStrict } from '../../core/parse-strict.js';
import { badInput } from '../errors.js';

const JSON_LIKE = /^(-?\d+(\.\d+)?|true|false|null|\{.*\}|\[.*\])$/s;

/**
 * Turns `key=value` items into a parameters object (keys in order; `__proto__` stays an own key).
 * @throws CliExit (exit 2) for an item without `key=` or a key given twice.
 * @example
 * parseParams(['environment=prod', 'maxRateQps=50']); // { environment: 'prod', maxRateQps: 50 }
 */
export function parseParams(items: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq < 1) throw badInput(`--param expects key=value, got ${JSON.stringify(item.slice(0, 80))}`);
    const k = item.slice(0, eq);
    const v = item.slice(eq + 1);
    if (Object.hasOwn(out, k)) throw badInput(`--param ${JSON.stringify(k.slice(0, 80))} given twice`);
    let value: unknown = v;
    if (JSON_LIKE.test(v)) {
      try {
        value = parseStrict(v);
      } catch {
        value = v;
      }
    }
    // defineProperty: a "__proto__" key must stay data, not replace the object's prototype.
    Object.defineProperty(out, k, { value, writable: true, enumerable: true, configurable: true });
  }
  return out;
}
