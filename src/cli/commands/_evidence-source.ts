// The --evidence-source seam of `quorumkit attest serve`: a name → a factory of the EvidenceSource
// (src/attestation/evidence.ts) the service binds its reports to: `none` (reports not bound to TEE
// evidence), `snp-ioctl` (SNP_GET_EXT_REPORT on /dev/sev-guest or $QUORUMKIT_SEV_GUEST_DEVICE
// through the native addon), `tsm-snp` / `tsm-tdx` (configfs-tsm, Linux ≥ 6.7).

import type { EvidenceSource } from '../../attestation/evidence.js';
import { snpIoctlEvidenceSource, tsmEvidenceSource } from '../../attestation/node/evidence-sources.js';
import { nativeAddonStatus } from '../../tee/node/native-addon.js';
import { badInput } from '../errors.js';

/** Factories by --evidence-source name; `undefined` = reports are not bound. */
export const EVIDENCE_SOURCES: Readonly<Record<string, () => EvidenceSource | undefined>> = Object.freeze({
  none: () => undefined,
  'snp-ioctl': () => {
    // Refuse at start, not at the first request, when the guest ioctls cannot run at all.
    const status = nativeAddonStatus();
    if (!status.available) throw badInput(`--evidence-source snp-ioctl: native addon unavailable: ${status.reason}`);
    return snpIoctlEvidenceSource();
  },
  'tsm-snp': () => tsmEvidenceSource({ platform: 'amd-sev-snp' }),
  'tsm-tdx': () => tsmEvidenceSource({ platform: 'intel-tdx' }),
});

/** The source named by --evidence-source, or exit 2 listing the known names. */
export function evidenceSourceFlag(name: string): EvidenceSource | undefined {
  const make = Object.hasOwn(EVIDENCE_SOURCES, name) ? EVIDENCE_SOURCES[name] : undefined;
  if (make === undefined) throw badInput(`--evidence-source expects one of ${Object.keys(EVIDENCE_SOURCES).join(', ')}, got ${JSON.stringify(name.slice(0, 64))}`);
  return make();
}
