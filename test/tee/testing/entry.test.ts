// quorumkit/tee/testing as a package entry: the built subpath loads and exports the test PKI and
// fake devices, and its module graph bundles for the browser with no Node builtin (the same plugin
// that guards dist/browser), since tests and demos may run it in a page.
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { findNodeImports, noNodeBuiltinsPlugin } from '../../../scripts/no-node-builtins-plugin.mjs';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

describe('quorumkit/tee/testing', () => {
  it('resolves through package.json exports to the built entry', async () => {
    const m = (await import('quorumkit/tee/testing')) as Record<string, unknown>;
    for (const name of ['createTestSnpPki', 'FakeSnpSigner', 'createTestTdxPki', 'FakeTdxQuoter', 'fakeSnpEvidenceSource', 'fakeTdxEvidenceSource', 'writeTdReport']) {
      expect(typeof m[name], name).toBe('function');
    }
  });

  it('bundles for the browser without Node builtins', async () => {
    const r = await esbuild.build({ entryPoints: [`${ROOT}/src/tee/testing/index.ts`], bundle: true, format: 'esm', platform: 'browser', write: false, plugins: [noNodeBuiltinsPlugin()], logLevel: 'silent' });
    expect(findNodeImports(r.outputFiles[0]!.text)).toEqual([]);
  });
});
