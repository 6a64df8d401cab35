// The law (policy) document `quorumkit/authz-law/v1`: roles, norms ALLOW / LIMIT / REQUIRE and
// procedures as one versioned JSON document — upstream's LawDataset (Web4 law_oracle.py, commit
// 648e509d: Norm, Procedure, RolePermissions, LawDataset.to_json_ld), re-designed so that every
// condition is text in the condition language (condition/) instead of a selector/operator/value
// triple or a Python eval() trigger. The JSON Schema is schema.ts; this is the hand validator every
// document goes through before use (the schema compiler is not browser-safe): strict (unknown keys
// refused, I-JSON text via parseStrict, no lone surrogates in values passed as objects either), capped (counts, lengths, text size), every condition
// parsed and its fields checked against the law context (context.ts). Browser-safe.

import { parseStrict } from '../../core/parse-strict.js';
import { parseCondition } from '../condition/index.js';
import { ConditionSyntaxError, LawDocumentError } from '../errors.js';
import { checkLawFields } from './context.js';

/** The `schema` value of a v1 law document. */
export const LAW_SCHEMA_ID = 'quorumkit/authz-law/v1';
/** The longest law document text accepted (UTF-16 code units). */
export const MAX_LAW_DOCUMENT_CHARS = 1 << 20;
/** The most roles a document may define. */
export const MAX_LAW_ROLES = 256;
/** The most norms a document may hold. */
export const MAX_LAW_NORMS = 512;
/** The most procedures a document may hold. */
export const MAX_LAW_PROCEDURES = 128;
/** The most actions one role may allow, triggers one procedure may have, steps one procedure may list. */
export const MAX_LAW_LIST_ITEMS = 64;
/** The most witnesses (and the largest quorum) a norm or procedure may ask for. */
export const MAX_LAW_WITNESSES = 64;
/** The longest id (norm, procedure, role, society, version) accepted. */
export const MAX_LAW_ID_CHARS = 256;
/** The longest free text (`reason`, a step) accepted. */
export const MAX_LAW_TEXT_CHARS = 1024;
/** The most resource limits one role may set. */
export const MAX_LAW_RESOURCE_LIMITS = 64;

/** Ids of norms and procedures, action names and resource names: a letter or digit, then [A-Za-z0-9_.:-]. */
export const LAW_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]*$';
const NAME_RE = new RegExp(LAW_NAME_PATTERN);
/** Role, society and version strings: no control characters. */
export const LAW_LABEL_PATTERN = '^[^\\u0000-\\u001f\\u007f]+$';
const LABEL_RE = new RegExp(LAW_LABEL_PATTERN);

/** A role's permissions as written in a document (→ RolePermissions). */
export interface LawRoleBody {
  readonly actions: readonly string[];
  readonly resourceLimits: Readonly<Record<string, number>>;
  readonly trustThreshold: number;
  readonly requiresWitness: boolean;
  readonly maxAtpPerAction: number;
}
/** A role bound by exact id. */
export interface LawRole extends LawRoleBody {
  readonly role: string;
}
/** ALLOW: a request is legal only when at least one ALLOW's `when` holds. */
export interface AllowNorm {
  readonly id: string;
  readonly type: 'ALLOW';
  readonly when: string;
  readonly reason?: string;
}
/** LIMIT: where `when` holds (always, without one) and every field of `condition` is present, `condition` must hold. */
export interface LimitNorm {
  readonly id: string;
  readonly type: 'LIMIT';
  readonly when?: string;
  readonly condition: string;
  readonly reason?: string;
}
/** REQUIRE: where `when` holds, `witnesses` witnesses are needed and/or `procedure` is triggered. */
export interface RequireNorm {
  readonly id: string;
  readonly type: 'REQUIRE';
  readonly when: string;
  readonly witnesses?: number;
  readonly procedure?: string;
  readonly reason?: string;
}
/** One norm. */
export type LawNorm = AllowNorm | LimitNorm | RequireNorm;
/** A procedure: triggered when any trigger holds or a matching REQUIRE names it. */
export interface LawProcedure {
  readonly id: string;
  readonly triggers: readonly string[];
  readonly witnesses: number;
  readonly quorum: number;
  readonly steps: readonly string[];
  readonly timeoutSeconds: number | null;
}
/** A parsed, validated `quorumkit/authz-law/v1` document (plain JSON data, frozen). */
export interface LawDocument {
  readonly schema: typeof LAW_SCHEMA_ID;
  /** The law's version (→ `Law.version`, bound into decision records). */
  readonly version: string;
  readonly society: string;
  readonly lawOracle?: string;
  readonly previousVersion?: string;
  readonly roles: readonly LawRole[];
  /** The permissions of every role not in `roles`; absent → such roles are unknown (role_mismatch). */
  readonly defaultRole?: LawRoleBody;
  readonly norms: readonly LawNorm[];
  readonly procedures: readonly LawProcedure[];
}

type Obj = Record<string, unknown>;

const fail = (path: string, msg: string): LawDocumentError => new LawDocumentError(`law document ${path || '/'}: ${msg}`, { details: { path: path || '/' } });

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
}

function plainObject(v: unknown, path: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw fail(path, `expected an object, got ${describe(v)}`);
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) throw fail(path, 'expected a plain object');
  for (const k of Object.keys(v)) {
    if (!('value' in Object.getOwnPropertyDescriptor(v, k)!)) throw fail(`${path}/${k}`, 'is an accessor, not data');
  }
  return v as Obj;
}

function object(v: unknown, path: string, required: readonly string[], optional: readonly string[]): Obj {
  const o = plainObject(v, path);
  for (const k of Object.keys(o)) if (!required.includes(k) && !optional.includes(k)) throw fail(path, `unknown key ${JSON.stringify(k.slice(0, 64))}`);
  for (const k of required) if (!Object.hasOwn(o, k)) throw fail(path, `missing key ${JSON.stringify(k)}`);
  return o;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function string(v: unknown, path: string, max: number, re: RegExp | null): string {
  if (typeof v !== 'string') throw fail(path, `expected a string, got ${describe(v)}`);
  if (LONE_SURROGATE.test(v)) throw fail(path, 'is not well-formed Unicode (a lone surrogate)');
  if (v.length === 0 || v.length > max) throw fail(path, `expected 1..${max} characters, got ${v.length}`);
  if (re !== null && !re.test(v)) throw fail(path, `${JSON.stringify(v.slice(0, 64))} does not match ${re.source}`);
  return v;
}

function integer(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) throw fail(path, `expected an integer ${min}..${max}, got ${typeof v === 'number' ? String(v) : describe(v)}`);
  return v + 0; // -0 → 0, so the document round-trips through JSON text
}

function array(v: unknown, path: string, max: number): readonly unknown[] {
  if (!Array.isArray(v)) throw fail(path, `expected an array, got ${describe(v)}`);
  if (v.length > max) throw fail(path, `more than ${max} items (${v.length})`);
  const out: unknown[] = [];
  for (let i = 0; i < v.length; i++) {
    const d = Object.getOwnPropertyDescriptor(v, i);
    if (d === undefined || !('value' in d)) throw fail(`${path}/${i}`, 'is a hole or an accessor, not data');
    out.push(d.value);
  }
  return out;
}

function condition(text: unknown, path: string, owner: string): string {
  if (typeof text !== 'string') throw fail(path, `expected a condition string, got ${describe(text)}`);
  if (LONE_SURROGATE.test(text)) throw fail(path, 'is not well-formed Unicode (a lone surrogate)');
  try {
    parseCondition(text);
    checkLawFields(text);
  } catch (e) {
    if (!(e instanceof ConditionSyntaxError)) throw e;
    const position = e.details?.['position'] ?? 0;
    throw new ConditionSyntaxError(`law document ${path} (${owner}): ${e.message}`, { cause: e, details: { position, norm: owner, path } });
  }
  return text;
}

function roleBody(o: Obj, path: string): LawRoleBody {
  const actions = array(o['actions'], `${path}/actions`, MAX_LAW_LIST_ITEMS).map((a, i) => string(a, `${path}/actions/${i}`, MAX_LAW_ID_CHARS, NAME_RE));
  if (new Set(actions).size !== actions.length) throw fail(`${path}/actions`, 'lists an action twice');
  const limits = plainObject(o['resourceLimits'], `${path}/resourceLimits`);
  const names = Object.keys(limits);
  if (names.length > MAX_LAW_RESOURCE_LIMITS) throw fail(`${path}/resourceLimits`, `more than ${MAX_LAW_RESOURCE_LIMITS} limits`);
  const resourceLimits: Record<string, number> = {};
  for (const n of names) {
    string(n, `${path}/resourceLimits`, MAX_LAW_ID_CHARS, NAME_RE);
    resourceLimits[n] = integer(limits[n], `${path}/resourceLimits/${n}`, 0, Number.MAX_SAFE_INTEGER);
  }
  const t = o['trustThreshold'];
  if (typeof t !== 'number' || !(t >= 0 && t <= 1)) throw fail(`${path}/trustThreshold`, `expected a number 0..1, got ${typeof t === 'number' ? String(t) : describe(t)}`);
  if (typeof o['requiresWitness'] !== 'boolean') throw fail(`${path}/requiresWitness`, `expected a boolean, got ${describe(o['requiresWitness'])}`);
  return {
    actions: Object.freeze(actions),
    resourceLimits: Object.freeze(resourceLimits),
    trustThreshold: t + 0,
    requiresWitness: o['requiresWitness'],
    maxAtpPerAction: integer(o['maxAtpPerAction'], `${path}/maxAtpPerAction`, 0, Number.MAX_SAFE_INTEGER),
  };
}

const ROLE_BODY_KEYS = ['actions', 'resourceLimits', 'trustThreshold', 'requiresWitness', 'maxAtpPerAction'] as const;

function norm(v: unknown, path: string): LawNorm {
  const raw = plainObject(v, path); // before any read: no accessor is ever called
  const type = raw['type'];
  const idRaw = raw['id'];
  const base = ['id', 'type'];
  let o: Obj;
  if (type === 'ALLOW') o = object(v, path, [...base, 'when'], ['reason']);
  else if (type === 'LIMIT') o = object(v, path, [...base, 'condition'], ['when', 'reason']);
  else if (type === 'REQUIRE') o = object(v, path, [...base, 'when'], ['witnesses', 'procedure', 'reason']);
  else throw fail(`${path}/type`, `expected "ALLOW", "LIMIT" or "REQUIRE", got ${typeof type === 'string' ? JSON.stringify(type.slice(0, 32)) : describe(type)}`);
  const id = string(idRaw, `${path}/id`, MAX_LAW_ID_CHARS, NAME_RE);
  const out: Record<string, unknown> = { id, type };
  if (o['when'] !== undefined || type !== 'LIMIT') out['when'] = condition(o['when'], `${path}/when`, id);
  if (type === 'LIMIT') out['condition'] = condition(o['condition'], `${path}/condition`, id);
  if (type === 'REQUIRE') {
    if (o['witnesses'] === undefined && o['procedure'] === undefined) throw fail(path, 'a REQUIRE needs "witnesses" or "procedure"');
    if (o['witnesses'] !== undefined) out['witnesses'] = integer(o['witnesses'], `${path}/witnesses`, 1, MAX_LAW_WITNESSES);
    if (o['procedure'] !== undefined) out['procedure'] = string(o['procedure'], `${path}/procedure`, MAX_LAW_ID_CHARS, NAME_RE);
  }
  if (o['reason'] !== undefined) out['reason'] = string(o['reason'], `${path}/reason`, MAX_LAW_TEXT_CHARS, null);
  return Object.freeze(out) as unknown as LawNorm;
}

function procedure(v: unknown, path: string): LawProcedure {
  const o = object(v, path, ['id', 'triggers', 'witnesses'], ['quorum', 'steps', 'timeoutSeconds']);
  const id = string(o['id'], `${path}/id`, MAX_LAW_ID_CHARS, NAME_RE);
  const triggers = array(o['triggers'], `${path}/triggers`, MAX_LAW_LIST_ITEMS).map((t, i) => condition(t, `${path}/triggers/${i}`, id));
  const steps = o['steps'] === undefined ? [] : array(o['steps'], `${path}/steps`, MAX_LAW_LIST_ITEMS).map((s, i) => string(s, `${path}/steps/${i}`, MAX_LAW_TEXT_CHARS, null));
  const timeout = o['timeoutSeconds'];
  return Object.freeze({
    id,
    triggers: Object.freeze(triggers),
    witnesses: integer(o['witnesses'], `${path}/witnesses`, 0, MAX_LAW_WITNESSES),
    quorum: o['quorum'] === undefined ? 0 : integer(o['quorum'], `${path}/quorum`, 0, MAX_LAW_WITNESSES),
    steps: Object.freeze(steps),
    timeoutSeconds: timeout === undefined || timeout === null ? null : integer(timeout, `${path}/timeoutSeconds`, 1, Number.MAX_SAFE_INTEGER),
  });
}

/**
 * Reads a document's shape — every rule of the schema, every condition — without the cross-checks
 * (unique ids, procedure references) that {@link parseLawDocument} adds; `checkPolicy` reports
 * those as findings instead.
 * @internal
 */
export function readLawShape(input: unknown): LawDocument {
  let value = input;
  if (typeof input === 'string') {
    if (input.length > MAX_LAW_DOCUMENT_CHARS) throw fail('', `text longer than ${MAX_LAW_DOCUMENT_CHARS} characters`);
    value = parseStrict(input, { maxDepth: 16 });
  }
  const o = object(value, '', ['schema', 'version', 'society', 'roles', 'norms', 'procedures'], ['lawOracle', 'previousVersion', 'defaultRole']);
  if (o['schema'] !== LAW_SCHEMA_ID) throw fail('/schema', `expected ${JSON.stringify(LAW_SCHEMA_ID)}, got ${typeof o['schema'] === 'string' ? JSON.stringify(o['schema'].slice(0, 64)) : describe(o['schema'])}`);
  const doc: Record<string, unknown> = {
    schema: LAW_SCHEMA_ID,
    version: string(o['version'], '/version', MAX_LAW_ID_CHARS, LABEL_RE),
    society: string(o['society'], '/society', MAX_LAW_ID_CHARS, LABEL_RE),
  };
  if (o['lawOracle'] !== undefined) doc['lawOracle'] = string(o['lawOracle'], '/lawOracle', MAX_LAW_ID_CHARS, LABEL_RE);
  if (o['previousVersion'] !== undefined) doc['previousVersion'] = string(o['previousVersion'], '/previousVersion', MAX_LAW_ID_CHARS, LABEL_RE);
  doc['roles'] = Object.freeze(
    array(o['roles'], '/roles', MAX_LAW_ROLES).map((r, i) => {
      const ro = object(r, `/roles/${i}`, ['role', ...ROLE_BODY_KEYS], []);
      return Object.freeze({ role: string(ro['role'], `/roles/${i}/role`, MAX_LAW_ID_CHARS, LABEL_RE), ...roleBody(ro, `/roles/${i}`) });
    }),
  );
  if (o['defaultRole'] !== undefined) doc['defaultRole'] = Object.freeze(roleBody(object(o['defaultRole'], '/defaultRole', ROLE_BODY_KEYS, []), '/defaultRole'));
  doc['norms'] = Object.freeze(array(o['norms'], '/norms', MAX_LAW_NORMS).map((n, i) => norm(n, `/norms/${i}`)));
  doc['procedures'] = Object.freeze(array(o['procedures'], '/procedures', MAX_LAW_PROCEDURES).map((p, i) => procedure(p, `/procedures/${i}`)));
  return Object.freeze(doc) as unknown as LawDocument;
}

/** Every repeated id among `items`: the repeat's JSON pointer, the id, the index of its first use. */
export function findDuplicateIds(items: readonly { readonly id?: string; readonly role?: string }[], base: string, key: 'id' | 'role'): { path: string; id: string; first: number }[] {
  const seen = new Map<string, number>();
  const out: { path: string; id: string; first: number }[] = [];
  items.forEach((it, i) => {
    const id = it[key]!;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, i);
    else out.push({ path: `${base}/${i}/${key}`, id, first });
  });
  return out;
}

/** REQUIRE norms naming a procedure the document does not define: the JSON pointer and the procedure id. */
export function findDanglingProcedures(doc: LawDocument): { path: string; id: string }[] {
  const ids = new Set(doc.procedures.map((p) => p.id));
  const out: { path: string; id: string }[] = [];
  doc.norms.forEach((n, i) => {
    if (n.type === 'REQUIRE' && n.procedure !== undefined && !ids.has(n.procedure)) out.push({ path: `/norms/${i}/procedure`, id: n.procedure });
  });
  return out;
}

/**
 * Parses and validates a law document: JSON text (read with parseStrict: duplicate keys, lone
 * surrogates and trailing data refused) or an already-parsed JSON value. Returns a frozen copy in
 * normal form (procedure defaults `quorum: 0`, `steps: []`, `timeoutSeconds: null` filled in).
 * @throws LawDocumentError (`ERR_AUTHZ_LAW`, `details.path`) for a wrong shape, an unknown key, a
 *   cap exceeded, a duplicate norm / procedure / role id or a REQUIRE naming an unknown procedure;
 *   ConditionSyntaxError (`ERR_AUTHZ_CONDITION`, `details.position`, `.norm`, `.path`) for a bad
 *   condition; the JSON errors of parseStrict (`ERR_JSON_*`) for bad text.
 * @example
 * const doc = parseLawDocument(readFileSync('law.json', 'utf8'));
 * new LawOracle(doc).checkLegality(request);
 */
export function parseLawDocument(input: unknown): LawDocument {
  const doc = readLawShape(input);
  const dup = [...findDuplicateIds(doc.norms, '/norms', 'id'), ...findDuplicateIds(doc.procedures, '/procedures', 'id'), ...findDuplicateIds(doc.roles, '/roles', 'role')][0];
  if (dup !== undefined) throw fail(dup.path, `duplicate id ${JSON.stringify(dup.id)} (first at index ${dup.first})`);
  const dangling = findDanglingProcedures(doc)[0];
  if (dangling !== undefined) throw fail(dangling.path, `unknown procedure ${JSON.stringify(dangling.id)}`);
  return doc;
}
