// The --evidence-source seam of `quorumkit attest serve`: a name → a factory of the EvidenceSource
// (src/attestation/evidence.ts) the service binds its reports to. Only `none` (reports not bound to
// TEE evidence) exists today; the guest-device sources (SEV-SNP / TDX ioctls through the native
// addon, configfs-tsm) register here under their own names.

import type { EvidenceSource } from '../../attestation/evidence.js';
import { badInput } from '../errors.js';

/** Factories by --evidence-source name; `undefined` = reports are not bound. */
export const EVIDENCE_SOURCES: Readonly<Record<string, () => EvidenceSource | undefined>> = Object.freeze({
  none: () => undefined,
});

/** The source named by --evidence-source, or exit 2 listing the known names. */
export function evidenceSourceFlag(name: string): EvidenceSource | undefined {
  const make = Object.hasOwn(EVIDENCE_SOURCES, name) ? EVIDENCE_SOURCES[name] : undefined;
  if (make === undefined) throw badInput(`--evidence-source expects one of ${Object.keys(EVIDENCE_SOURCES).join(', ')}, got ${JSON.stringify(name.slice(0, 64))}`);
  return make();
}
