// Program packages (src/mpc/package.ts) and the IR JSON form (src/mpc/ir-json.ts): QuorumVM's
// tests/test_package.py cases, secrets in the manifest, parsePackage recomputing program_id, a text
// round trip through canonicalizePython and parseStrict, and every refusal of parseIr with its path.
import { describe, expect, it } from 'vitest';
import { canonicalizePython } from '../../src/core/canonical-python.js';
import { isQuorumkitError } from '../../src/core/errors.js';
import { parseStrict } from '../../src/core/parse-strict.js';
import { compileDsl } from '../../src/mpc/dsl/compile.js';
import { irToJson, parseIr } from '../../src/mpc/ir-json.js';
import { MAX_INTEGER_DIGITS } from '../../src/mpc/ir.js';
import { buildPackage, packageToJson, parsePackage, programId } from '../../src/mpc/package.js';

const SAMPLE = compileDsl('input x\nconst c = 7\nadd t = x c\nmul y = t t\noutput y');
const SECRET = compileDsl('secret w1\nsecret w2\ninput x\nmul a = x w1\nadd y = a w2\noutput y');

/** The package as text (Python json.dumps form) read back as a client would. */
const wire = (pkg: ReturnType<typeof buildPackage>): Record<string, unknown> =>
  parseStrict(canonicalizePython(packageToJson(pkg)), { bigints: true }) as Record<string, unknown>;

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isQuorumkitError(e)) return `${e.code} ${e.message}`;
    return `${(e as Error).name} ${(e as Error).message}`;
  }
  return 'returned';
}

describe('buildPackage (QuorumVM tests/test_package.py)', () => {
  it('has a 64-hex id, deterministic, independent of version, dependent on policy', () => {
    const pkg = buildPackage(SAMPLE);
    expect(pkg.programId).toMatch(/^[0-9a-f]{64}$/);
    expect(buildPackage(SAMPLE, { version: '1.0.0' }).programId).toBe(pkg.programId);
    expect(buildPackage(SAMPLE, { version: '2.0.0' }).programId).toBe(pkg.programId);
    expect(buildPackage(SAMPLE, { policy: { cost_per_eval: 99 } }).programId).not.toBe(buildPackage(SAMPLE, { policy: { cost_per_eval: 1 } }).programId);
    expect(packageToJson(pkg).ir.nodes).toHaveLength(4);
    expect(packageToJson(pkg).ir.output_node_id).toBe('y');
  });

  it("takes QuorumVM's defaults and fills missing policy fields", () => {
    const pkg = buildPackage(SAMPLE, { policy: { budget_per_identity: 10 } });
    expect(pkg.version).toBe('1.0.0');
    expect(pkg.policyManifest).toEqual({ cost_per_eval: 1, budget_per_identity: 10, max_evals_per_minute: 10 });
    expect(pkg.secretManifest).toEqual({ secret_name: 'S_v' });
  });

  it('lists secret nodes in the secret manifest, which changes the id', () => {
    const pkg = buildPackage(SECRET, { secret: { secret_name: 'weights' } });
    expect(pkg.secretManifest).toEqual({ secret_name: 'weights', secrets: ['w1', 'w2'] });
    expect(pkg.programId).toBe(programId(SECRET, pkg.policyManifest, pkg.secretManifest));
    expect(pkg.programId).not.toBe(programId(SECRET, pkg.policyManifest, { secret_name: 'weights' }));
    expect(buildPackage(SECRET, { secret: { secrets: ['w1', 'w2'] } }).programId).toBe(buildPackage(SECRET).programId);
    expect(codeOf(() => buildPackage(SECRET, { secret: { secrets: ['w2', 'w1'] } }))).toMatch(/^ERR_INVALID_ARGUMENT "options.secret.secrets"/);
    expect(codeOf(() => buildPackage(SAMPLE, { secret: { secrets: ['w'] } }))).toMatch(/^ERR_INVALID_ARGUMENT/);
  });

  it('refuses bad options and a malformed IR', () => {
    expect(codeOf(() => buildPackage(SAMPLE, { versio: '1' } as never))).toMatch(/^TypeError .*unknown key/);
    expect(codeOf(() => buildPackage(SAMPLE, { policy: { cost: 1 } as never }))).toMatch(/^TypeError/);
    for (const bad of [-1, 1.5, 2 ** 53, Number.NaN, '5', 5n]) {
      expect(codeOf(() => buildPackage(SAMPLE, { policy: { max_evals_per_minute: bad as number } }))).toMatch(/^ERR_INVALID_ARGUMENT "options.policy.max_evals_per_minute" expected a non-negative safe integer/);
    }
    expect(codeOf(() => buildPackage(SAMPLE, { version: 'v'.repeat(257) }))).toMatch(/^ERR_INVALID_ARGUMENT/);
    expect(codeOf(() => buildPackage(SAMPLE, { secret: { secret_name: 'S\ud800' } }))).toMatch(/^ERR_INVALID_ARGUMENT "options.secret.secret_name" string contains a lone surrogate/);
    expect(codeOf(() => buildPackage({ nodes: [], outputNodeIds: ['y'] }))).toMatch(/^ERR_INVALID_IR/);
  });
});

describe('parsePackage', () => {
  it('reads back what buildPackage wrote, as text, huge const values exact', () => {
    const big = compileDsl(`input x\nconst c = ${'9'.repeat(200)}\nmul y = x c\noutput y`);
    for (const pkg of [buildPackage(SAMPLE), buildPackage(SECRET), buildPackage(big, { version: '3' })]) {
      expect(parsePackage(wire(pkg))).toEqual(pkg);
    }
    expect(canonicalizePython(packageToJson(buildPackage(big)))).toContain(`"value":${'9'.repeat(200)}}`);
  });

  it('recomputes program_id and refuses a mismatch', () => {
    const w = wire(buildPackage(SECRET));
    expect(codeOf(() => parsePackage({ ...w, program_id: '0'.repeat(64) }))).toMatch(/^ERR_PROGRAM_ID_MISMATCH/);
    expect(codeOf(() => parsePackage({ ...w, policy_manifest: { cost_per_eval: 2, budget_per_identity: 5, max_evals_per_minute: 10 } }))).toMatch(/^ERR_PROGRAM_ID_MISMATCH/);
    expect(codeOf(() => parsePackage({ ...w, secret_manifest: { secret_name: 'S_w', secrets: ['w1', 'w2'] } }))).toMatch(/^ERR_PROGRAM_ID_MISMATCH/);
    // version is not hashed (QuorumVM)
    expect(parsePackage({ ...w, version: '9.9.9' }).version).toBe('9.9.9');
  });

  it('refuses missing, unknown and malformed members with their path', () => {
    const w = wire(buildPackage(SECRET));
    const { version: _v, ...noVersion } = w;
    expect(codeOf(() => parsePackage(noVersion))).toMatch(/^ERR_INVALID_PACKAGE invalid package at \/version: missing member/);
    expect(codeOf(() => parsePackage({ ...w, extra: 1 }))).toMatch(/at \/extra: unknown member/);
    expect(codeOf(() => parsePackage({ ...w, program_id: 'ABC' }))).toMatch(/at \/program_id: expected 64 lowercase hex/);
    expect(codeOf(() => parsePackage({ ...w, secret_manifest: { secret_name: 'S_v' } }))).toMatch(/at \/secret_manifest\/secrets/);
    expect(codeOf(() => parsePackage({ ...w, policy_manifest: { cost_per_eval: 1, budget_per_identity: 5 } }))).toMatch(/at \/policy_manifest\/max_evals_per_minute/);
    expect(codeOf(() => parsePackage({ ...w, ir: { ...(w['ir'] as object), output_node_id: 'zz' } }))).toMatch(/^ERR_INVALID_IR invalid IR at \/ir\/output_node_id/);
    expect(codeOf(() => parsePackage([]))).toMatch(/^ERR_INVALID_PACKAGE invalid package at \(root\): expected object/);
  });
});

describe('parseIr', () => {
  const j = irToJson(SAMPLE) as unknown as { nodes: Record<string, unknown>[] };
  const withNode = (i: number, node: Record<string, unknown>): unknown => ({ ...j, nodes: j.nodes.map((n, k) => (k === i ? node : n)) });
  const cases: [string, unknown, RegExp][] = [
    ['root not an object', [], /at \(root\): expected object/],
    ['unknown member', { ...j, extra: 1 }, /at \/extra: unknown member/],
    ['nodes not an array', { ...j, nodes: {} }, /at \/nodes: expected array/],
    ['node not an object', withNode(1, 5 as never), /at \/nodes\/1: expected object/],
    ['unknown node member', withNode(0, { ...j.nodes[0], extra: 1 }), /at \/nodes\/0\/extra: unknown member/],
    ['bad id', withNode(0, { ...j.nodes[0], id: 'a b' }), /at \/nodes\/0\/id: not an identifier/],
    ['unknown type', withNode(0, { ...j.nodes[0], type: 'div' }), /at \/nodes\/0\/type/],
    ['wrong arity', withNode(2, { ...j.nodes[2], inputs: ['x'] }), /at \/nodes\/2\/inputs: a add node takes 2 inputs, got 1/],
    ['input not defined earlier', withNode(2, { ...j.nodes[2], inputs: ['x', 'y'] }), /at \/nodes\/2\/inputs\/1: undefined node "y"/],
    ['op missing', withNode(2, { id: 't', type: 'add', inputs: ['x', 'c'] }), /at \/nodes\/2\/op: expected "add"/],
    ['op differs', withNode(2, { ...j.nodes[2], op: 'mul' }), /at \/nodes\/2\/op/],
    ['op on input', withNode(0, { ...j.nodes[0], op: 'input' }), /at \/nodes\/0\/op: not allowed/],
    ['value on add', withNode(2, { ...j.nodes[2], value: 1 }), /at \/nodes\/2\/value: not allowed/],
    ['const without value', withNode(1, { id: 'c', type: 'const', inputs: [] }), /at \/nodes\/1\/value: expected integer/],
    ['fractional value', withNode(1, { ...j.nodes[1], value: 1.5 }), /at \/nodes\/1\/value: expected integer/],
    ['string value', withNode(1, { ...j.nodes[1], value: '7' }), /at \/nodes\/1\/value: expected integer/],
    ['value too long', withNode(1, { ...j.nodes[1], value: 10n ** BigInt(MAX_INTEGER_DIGITS) }), /longer than 4300 digits/],
    ['duplicate id', { ...j, nodes: [...j.nodes, j.nodes[0]] }, /at \/nodes\/4\/id: duplicate node id "x"/],
    ['no outputs', { nodes: j.nodes }, /at \(root\): no output/],
    ['unknown output', { ...j, output_node_ids: ['q'], output_node_id: 'q' }, /at \/output_node_ids\/0: undefined node "q"/],
    ['inconsistent outputs', { ...j, output_node_ids: ['y'], output_node_id: 't' }, /at \/output_node_id: expected the first/],
    ['repeated output', { ...j, output_node_ids: ['y', 'y'] }, /at \/output_node_ids: duplicate output/],
  ];
  for (const [what, value, re] of cases) {
    it(`refuses ${what}`, () => {
      const got = codeOf(() => parseIr(value));
      expect(got).toMatch(/^ERR_INVALID_IR invalid IR at /);
      expect(got).toMatch(re);
    });
  }

  it('accepts output_node_id or output_node_ids alone (QuorumVM IR.model_post_init)', () => {
    const { output_node_id: _a, ...listOnly } = j as unknown as Record<string, unknown>;
    const { output_node_ids: _b, ...singleOnly } = j as unknown as Record<string, unknown>;
    expect(parseIr(listOnly)).toEqual(SAMPLE);
    expect(parseIr(singleOnly)).toEqual(SAMPLE);
    expect(parseIr({ ...singleOnly, output_node_ids: [] })).toEqual(SAMPLE);
  });

  it('reads const values given as numbers or bigints, negative too', () => {
    const ir = parseIr(parseStrict('{"nodes":[{"id":"c","type":"const","inputs":[],"value":-123456789012345678901234567890}],"output_node_ids":["c"]}', { bigints: true }));
    expect(ir.nodes[0]!.value).toBe(-123456789012345678901234567890n);
  });
});

describe('secret_manifest.instance', () => {
  const withSecret = 'input x\nsecret w\nmul y = x w\noutput y\n';
  it('separates installations of one program with secrets, and is refused elsewhere', async () => {
    const { buildPackage, parsePackage, packageToJson } = await import('../../src/mpc/package.js');
    const { compileDsl } = await import('../../src/mpc/dsl/compile.js');
    const ir = compileDsl(withSecret);
    const a = buildPackage(ir, { secret: { instance: 'a'.repeat(32) } });
    const b = buildPackage(ir, { secret: { instance: 'b'.repeat(32) } });
    expect(a.programId).not.toBe(b.programId);
    expect(parsePackage(packageToJson(a)).secretManifest.instance).toBe('a'.repeat(32));
    expect(() => buildPackage(ir, { secret: { instance: 'XYZ' } })).toThrow(/instance/);
    expect(() => buildPackage(compileDsl('input x\noutput x\n'), { secret: { instance: 'a'.repeat(32) } })).toThrow(/no instance/);
  });
});
