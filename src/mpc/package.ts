// The program package, QuorumVM's quorumvm/compiler/package.py: a versioned, content-addressed
// artifact { program_id, version, ir, secret_manifest, policy_manifest } whose program_id is the
// SHA-256 (FIPS 180-4) hex of Python's
//   json.dumps({"ir", "policy_manifest", "secret_manifest"}, sort_keys=True, separators=(",", ":"))
// (ensure_ascii on, as Python's default) — `version` is not hashed. Defaults are QuorumVM's
// (quorumvm/config.py): cost_per_eval 1, budget_per_identity 5, max_evals_per_minute 10, and the
// secret manifest { secret_name: "S_v" }. quorumkit adds `secrets`, the ids of the IR's `secret`
// nodes in order, present only when there is one, so QuorumVM's programs keep QuorumVM's ids.
// Policy values are non-negative safe integers (QuorumVM takes any int). Browser-safe.

import { sha256 } from '@noble/hashes/sha2.js';
import { assertOptions, describeType, isPlainObject, optionKeys } from '../core/assert.js';
import { isWellFormedString, toHex } from '../core/bytes.js';
import { canonicalPythonBytes, canonicalizePython } from '../core/canonical-python.js';
import { InvalidArgumentError } from '../core/errors.js';
import { irToJson, parseIr, parseIrAt, type IrJson } from './ir-json.js';
import type { Ir } from './ir.js';
import { InvalidPackageError, ProgramIdMismatchError } from './program-errors.js';

/** Anti-oracle policy of a program (QuorumVM's `PolicyManifest`). */
export interface PolicyManifest {
  /** Budget units one evaluation costs. */
  readonly cost_per_eval: number;
  /** Budget units each identity may spend. */
  readonly budget_per_identity: number;
  /** Evaluations per identity per minute. */
  readonly max_evals_per_minute: number;
}

/** The secret parameters bound to a program version (QuorumVM's `SecretManifest`, plus `secrets`). */
export interface SecretManifest {
  /** QuorumVM's single secret's name (`"S_v"` by default). */
  readonly secret_name: string;
  /** The ids of the IR's `secret` nodes, in IR order; absent when it has none. */
  readonly secrets?: readonly string[];
  /**
   * 32 hex digits the owner's client draws for each installation of a program with secrets: the
   * secret values are not part of the package, so without it two installations of one program with
   * different secret values would share one program id. Only with `secrets`.
   */
  readonly instance?: string;
}

/** A program package. */
export interface ProgramPackage {
  /** SHA-256 hex of the canonical JSON of ir, policy_manifest and secret_manifest. */
  readonly programId: string;
  readonly version: string;
  readonly ir: Ir;
  readonly secretManifest: SecretManifest;
  readonly policyManifest: PolicyManifest;
}

/** A program package in QuorumVM's JSON form (`ProgramPackage.model_dump()`). */
export interface ProgramPackageJson {
  readonly program_id: string;
  readonly version: string;
  readonly ir: IrJson;
  readonly secret_manifest: SecretManifest;
  readonly policy_manifest: PolicyManifest;
}

/** Options of {@link buildPackage}. */
export interface BuildPackageOptions {
  /** Default `"1.0.0"`, as QuorumVM's. */
  readonly version?: string;
  /** Missing fields take QuorumVM's defaults. */
  readonly policy?: Partial<PolicyManifest>;
  /** `secret_name` defaults to `"S_v"`; `secrets`, when given, must equal the IR's secret node ids. */
  readonly secret?: Partial<SecretManifest>;
}

/** QuorumVM's default policy (quorumvm/config.py). */
export const DEFAULT_POLICY: PolicyManifest = Object.freeze({ cost_per_eval: 1, budget_per_identity: 5, max_evals_per_minute: 10 });
/** QuorumVM's default secret name. */
export const DEFAULT_SECRET_NAME = 'S_v';
/** Longest `version` and `secret_name` accepted. */
export const MAX_PACKAGE_STRING_LENGTH = 256;

const BUILD_OPTION_KEYS = optionKeys<BuildPackageOptions>({ version: true, policy: true, secret: true });
const POLICY_KEYS = optionKeys<PolicyManifest>({ cost_per_eval: true, budget_per_identity: true, max_evals_per_minute: true });
const SECRET_KEYS = optionKeys<SecretManifest>({ secret_name: true, secrets: true, instance: true });
const INSTANCE = /^[0-9a-f]{32}$/;
const PACKAGE_KEYS = optionKeys<ProgramPackageJson>({ program_id: true, version: true, ir: true, secret_manifest: true, policy_manifest: true });
const PROGRAM_ID = /^[0-9a-f]{64}$/;

type Fail = (path: string, what: string) => Error;
const packageFail: Fail = (path, what) => new InvalidPackageError(`invalid package at ${path === '' ? '(root)' : path}: ${what}`);
const optionFail: Fail = (path, what) => new InvalidArgumentError(`"options.${path.slice(1).replace(/\//g, '.')}" ${what}`);

function readRecord(v: unknown, path: string, keys: readonly string[], fail: Fail): Record<string, unknown> {
  if (!isPlainObject(v)) throw fail(path, `expected object, got ${describeType(v)}`);
  for (const k of Object.keys(v)) if (!keys.includes(k)) throw fail(`${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, 'unknown member');
  return v;
}

function readString(v: unknown, path: string, fail: Fail): string {
  if (typeof v !== 'string') throw fail(path, `expected string, got ${describeType(v)}`);
  if (v.length > MAX_PACKAGE_STRING_LENGTH) throw fail(path, `expected at most ${MAX_PACKAGE_STRING_LENGTH} characters, got ${v.length}`);
  if (!isWellFormedString(v)) throw fail(path, 'string contains a lone surrogate');
  return v;
}

function readPolicy(v: Record<string, unknown>, path: string, fail: Fail, defaults: boolean): PolicyManifest {
  const out: Record<string, number> = {};
  for (const k of POLICY_KEYS) {
    const x = defaults && v[k] === undefined ? DEFAULT_POLICY[k] : v[k];
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) throw fail(`${path}/${k}`, `expected a non-negative safe integer, got ${describeType(x)}`);
    out[k] = x;
  }
  return out as unknown as PolicyManifest;
}

/** The ids of `ir`'s secret nodes, in order. */
export function secretIds(ir: Ir): string[] {
  return ir.nodes.filter((n) => n.type === 'secret').map((n) => n.id);
}

function readSecret(v: Record<string, unknown>, path: string, fail: Fail, ir: Ir, defaults: boolean): SecretManifest {
  const name = readString(defaults && v['secret_name'] === undefined ? DEFAULT_SECRET_NAME : v['secret_name'], `${path}/secret_name`, fail);
  const expected = secretIds(ir);
  if (v['secrets'] !== undefined || !defaults) {
    const given = v['secrets'];
    const ok = given === undefined ? expected.length === 0 : Array.isArray(given) && given.length === expected.length && given.every((s, i) => s === expected[i]);
    if (!ok) throw fail(`${path}/secrets`, expected.length === 0 ? 'expected no secrets member (the IR has no secret nodes)' : "expected the IR's secret node ids, in order");
  }
  const instance = v['instance'];
  if (instance !== undefined && (expected.length === 0 || typeof instance !== 'string' || !INSTANCE.test(instance))) {
    throw fail(`${path}/instance`, expected.length === 0 ? 'expected no instance member (the IR has no secret nodes)' : 'expected 32 lowercase hex digits');
  }
  if (expected.length === 0) return { secret_name: name };
  return instance === undefined ? { secret_name: name, secrets: expected } : { secret_name: name, secrets: expected, instance: instance as string };
}

/**
 * The canonical JSON QuorumVM hashes into the program id: Python's `json.dumps(…, sort_keys=True,
 * separators=(",", ":"))` of `{ ir, policy_manifest, secret_manifest }`.
 * @throws as {@link programId}.
 */
export function canonicalProgramJson(ir: Ir, policy: PolicyManifest, secret: SecretManifest): string {
  return canonicalizePython(programBody(ir, policy, secret));
}

function programBody(ir: Ir, policy: PolicyManifest, secret: SecretManifest): unknown {
  const policyJson = { cost_per_eval: policy.cost_per_eval, budget_per_identity: policy.budget_per_identity, max_evals_per_minute: policy.max_evals_per_minute };
  const secretJson = secret.secrets === undefined ? { secret_name: secret.secret_name } : { secret_name: secret.secret_name, secrets: [...secret.secrets], ...(secret.instance === undefined ? {} : { instance: secret.instance }) };
  return { ir: irToJson(ir), policy_manifest: policyJson, secret_manifest: secretJson };
}

/**
 * The program id: lowercase SHA-256 hex of {@link canonicalProgramJson}. The arguments are trusted
 * (use {@link buildPackage} to check them).
 * @throws QuorumkitError `ERR_JSON_NOT_IJSON` when a string holds a lone surrogate.
 */
export function programId(ir: Ir, policy: PolicyManifest, secret: SecretManifest): string {
  return toHex(sha256(canonicalPythonBytes(programBody(ir, policy, secret))));
}

/**
 * Builds a package for `ir` (checked as {@link parseIr} would): QuorumVM's `build_package`.
 * @throws TypeError for unknown option keys; InvalidArgumentError for a policy value that is not a
 *   non-negative safe integer, a string over 256 characters or with a lone surrogate, or `secret.secrets` that differ from the
 *   IR's secret nodes; InvalidIrError for a malformed `ir`.
 * @example
 * buildPackage(compileDsl(src), { policy: { cost_per_eval: 99 } }).programId; // 64 hex digits
 */
export function buildPackage(ir: Ir, options?: BuildPackageOptions): ProgramPackage {
  const o = assertOptions('options', options, BUILD_OPTION_KEYS);
  const checked = parseIr(irToJson(ir));
  const version = readString(o.version ?? '1.0.0', '/version', optionFail);
  const policy = readPolicy(assertOptions('options.policy', o.policy, POLICY_KEYS), '/policy', optionFail, true);
  const secret = readSecret(assertOptions('options.secret', o.secret, SECRET_KEYS), '/secret', optionFail, checked, true);
  return { programId: programId(checked, policy, secret), version, ir: checked, secretManifest: secret, policyManifest: policy };
}

/** QuorumVM's JSON form of `pkg` (bigint const values: serialize with `canonicalizePython`). */
export function packageToJson(pkg: ProgramPackage): ProgramPackageJson {
  return { program_id: pkg.programId, version: pkg.version, ir: irToJson(pkg.ir), secret_manifest: pkg.secretManifest, policy_manifest: pkg.policyManifest };
}

/**
 * Reads a package from a value `parseStrict(text, { bigints: true })` returned, checks every member
 * (all required, no unknown ones) and recomputes the program id.
 * @throws InvalidPackageError (`ERR_INVALID_PACKAGE`, 400) for a malformed member; InvalidIrError for
 *   a malformed `ir` (pointer under `/ir`); ProgramIdMismatchError (`ERR_PROGRAM_ID_MISMATCH`, 400)
 *   when `program_id` is not the id of the content.
 */
export function parsePackage(value: unknown): ProgramPackage {
  const o = readRecord(value, '', PACKAGE_KEYS, packageFail);
  for (const k of PACKAGE_KEYS) if (!Object.hasOwn(o, k)) throw packageFail(`/${k}`, 'missing member');
  const claimed = readString(o['program_id'], '/program_id', packageFail);
  if (!PROGRAM_ID.test(claimed)) throw packageFail('/program_id', 'expected 64 lowercase hex digits');
  const version = readString(o['version'], '/version', packageFail);
  const ir = parseIrAt(o['ir'], ['ir']);
  const policy = readPolicy(readRecord(o['policy_manifest'], '/policy_manifest', POLICY_KEYS, packageFail), '/policy_manifest', packageFail, false);
  const secret = readSecret(readRecord(o['secret_manifest'], '/secret_manifest', SECRET_KEYS, packageFail), '/secret_manifest', packageFail, ir, false);
  const id = programId(ir, policy, secret);
  if (id !== claimed) throw new ProgramIdMismatchError(`program_id ${claimed} does not match the package content (expected ${id})`);
  return { programId: id, version, ir, secretManifest: secret, policyManifest: policy };
}
