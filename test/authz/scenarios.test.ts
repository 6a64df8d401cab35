// The 10 original Web4 scenarios (scenarios_orig.json: the reference engine at b62c7bee, whose own
// 16 tests pass) reproduce through replayScenarios — decision, denial reason, ATP remaining, required
// and actual trust, witness — with real ML-DSA credentials where the scenario presents one.
import { expect, it } from 'vitest';
import { parseStrict } from '../../src/core/parse-strict.js';
import { replayScenarios } from '../../src/authz/index.js';
import { describeVectors, readVectorText } from '../_vectors.js';

const KEYS = ['decision', 'denial_reason', 'atp_remaining', 'required_trust', 'actual_trust', 'requires_witness'] as const;

describeVectors('Web4 scenarios_orig.json', () => {
  const text = readVectorText('seeds/web4/scenarios_orig.json');
  const expected = parseStrict(text) as { name: string; results: Record<string, unknown>[] }[];

  it('every scenario reproduces: decision, reason, ATP remaining, trust, witness', async () => {
    const got = await replayScenarios(text);
    expect(got.map((s) => s.name)).toEqual(expected.map((s) => s.name));
    let ok = 0;
    let results = 0;
    for (let i = 0; i < expected.length; i++) {
      const pick = (r: object) => Object.fromEntries(KEYS.map((k) => [k, (r as Record<string, unknown>)[k]]));
      expect(got[i]!.results.map(pick), expected[i]!.name).toEqual(expected[i]!.results.map(pick));
      results += expected[i]!.results.length;
      ok += 1;
    }
    console.log(`[vectors] web4 scenarios_orig: ${ok}/${expected.length} scenarios, ${results} results reproduce`);
    expect(ok).toBe(10);
  }, 60_000);
});
