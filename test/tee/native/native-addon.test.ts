// The addon loader refuses what it cannot use, with the reason: a missing file ("not built"), a
// file that does not load, and a module whose struct sizes differ from GUEST_ABI_SIZES (a stand-in
// CommonJS module here, so no compiler is needed); it accepts one whose sizes match.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GUEST_ABI_SIZES, loadNativeAddonFrom } from '../../../src/tee/node/native-addon.js';

const dir = mkdtempSync(join(tmpdir(), 'qk-addon-loader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadNativeAddonFrom', () => {
  it('a missing file is "not built"', () => {
    expect(loadNativeAddonFrom(join(dir, 'absent.node'))).toEqual({ reason: expect.stringMatching(/is not built \(npm ci runs native\/build\.mjs/) });
  });

  it('a file that is no shared object "does not load"', () => {
    const f = join(dir, 'garbage.node');
    writeFileSync(f, 'not an ELF file');
    expect(loadNativeAddonFrom(f)).toEqual({ reason: expect.stringMatching(/does not load: /) });
  });

  it('other struct sizes are refused, naming the struct; equal sizes load', () => {
    const wrong = join(dir, 'wrong.cjs');
    writeFileSync(wrong, `module.exports = { sizes: ${JSON.stringify({ ...GUEST_ABI_SIZES, snpExtReportReq: 108 })} };`);
    expect(loadNativeAddonFrom(wrong)).toEqual({ reason: 'the addon was compiled with snpExtReportReq = 108 bytes, expected 112' });
    const none = join(dir, 'none.cjs');
    writeFileSync(none, 'module.exports = null;');
    expect(loadNativeAddonFrom(none)).toEqual({ reason: 'the addon was compiled with snpReportReq = undefined bytes, expected 96' });
    const right = join(dir, 'right.cjs');
    writeFileSync(right, `module.exports = { sizes: ${JSON.stringify(GUEST_ABI_SIZES)} };`);
    expect(loadNativeAddonFrom(right)).toMatchObject({ path: right, addon: { sizes: GUEST_ABI_SIZES } });
  });
});
