// QuorumVM program vectors (seeds/quorumvm/vectors.json, `programs`): each DSL source compiles to
// exactly QuorumVM's IR (quorumvm/compiler/dsl_parser.py, compared as Python's canonical JSON),
// the IR JSON reads back unchanged, and each of the 3 policies gives QuorumVM's canonical_json and
// program_id (quorumvm/compiler/package.py) — through buildPackage and through parsePackage.
import { expect, it } from 'vitest';
import { canonicalizePython } from '../../src/core/canonical-python.js';
import { parseStrict } from '../../src/core/parse-strict.js';
import { compileDsl } from '../../src/mpc/dsl/compile.js';
import { irToJson, parseIr } from '../../src/mpc/ir-json.js';
import { buildPackage, canonicalProgramJson, packageToJson, parsePackage } from '../../src/mpc/package.js';
import type { PolicyManifest, SecretManifest } from '../../src/mpc/package.js';
import { describeVectors, readVectorText } from '../_vectors.js';

interface ProgramVector {
  source: string;
  ir: unknown;
  optimized_ir: unknown;
  packages: Record<string, { policy_manifest: PolicyManifest; secret_manifest: SecretManifest; canonical_json: string; program_id: string }>;
}

describeVectors('QuorumVM program vectors', () => {
  const all = parseStrict(readVectorText('seeds/quorumvm/vectors.json'), { bigints: true }) as { programs: Record<string, ProgramVector> };
  const programs = Object.entries(all.programs);

  it('finds the 7 programs', () => expect(programs.length).toBe(7));

  it('compiles every source to QuorumVM IR and reproduces every package id', () => {
    let irs = 0;
    let ids = 0;
    for (const [name, p] of programs) {
      const ir = compileDsl(p.source);
      expect(canonicalizePython(irToJson(ir)), name).toBe(canonicalizePython(p.ir));
      expect(parseIr(p.ir), name).toEqual(ir);
      irs++;
      const policies = Object.entries(p.packages);
      expect(policies.length).toBe(3);
      for (const [policyName, v] of policies) {
        const pkg = buildPackage(ir, { policy: v.policy_manifest, secret: v.secret_manifest });
        expect(canonicalProgramJson(ir, pkg.policyManifest, pkg.secretManifest), `${name}/${policyName}`).toBe(v.canonical_json);
        expect(pkg.programId, `${name}/${policyName}`).toBe(v.program_id);
        const wire = { program_id: v.program_id, version: '1.0.0', ir: p.ir, secret_manifest: v.secret_manifest, policy_manifest: v.policy_manifest };
        expect(parsePackage(wire).programId).toBe(v.program_id);
        expect(canonicalizePython(packageToJson(pkg))).toBe(canonicalizePython(wire));
        ids++;
      }
    }
    expect(irs).toBe(7);
    expect(ids).toBe(21);
    console.log(`[vectors] quorumvm: ${irs} IRs, ${ids} program ids reproduce`);
  });
});
