// Bit-length messages and outputs (FIPS 202 works on bit strings; the public API on bytes), for the
// NIST ACVP vectors, whose AFT messages and SHAKE outputs may end mid-byte (internal).
// Bit order (checked against the vectors): ACVP hex is left-justified — a last partial byte holding r
// bits carries them in its top r bits — and those r bits, read as a number (byte >> (8 − r)), are
// the r FIPS 202 §B.1 bits of that byte (least significant first). A partial output byte is
// written back the same way: its low r sponge bits, shifted up by 8 − r.

import type { KeccakEngine } from './_engine.js';
import type { SpongeSpec } from './_spec.js';

/** `outBits` of the sponge over the first `bitLen` bits of `msg` (ACVP bit conventions above). */
export function hashBits(
  engine: KeccakEngine,
  spec: SpongeSpec,
  msg: Uint8Array,
  bitLen: number,
  outBits: number,
): Uint8Array {
  const full = bitLen >>> 3;
  const r = bitLen & 7;
  const s = engine.createState(spec);
  try {
    s.update(msg.subarray(0, full));
    if (r === 0) s.pad();
    else {
      const byte = msg[full]!;
      const bits = byte >> (8 - r);
      const combined = bits | (spec.ds << r);
      const byte0 = combined & 0xff;
      const rest = combined >>> 8;
      // When the first pad10*1 bit is bit 7 of byte0 (or spills past it), absorb byte0 as data
      // so the final 0x80 can never land on (and cancel) that bit.
      if (rest !== 0 || (byte0 & 0x80) !== 0) {
        s.update(new Uint8Array([byte0]));
        s.pad(rest);
      } else s.pad(byte0);
    }
    const out = s.squeeze(Math.ceil(outBits / 8));
    const or = outBits & 7;
    if (or !== 0) {
      out[out.length - 1] = (out[out.length - 1]! & ((1 << or) - 1)) << (8 - or);
    }
    return out;
  } finally {
    s.destroy();
  }
}
