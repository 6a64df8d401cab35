// Streaming SHA3-256 of a byte range of a file descriptor (a weights file, /proc/<pid>/mem), in
// chunks, with an optional progress callback. Node-only. Internal.

import { readSync } from 'node:fs';
import { toHex } from '../../core/bytes.js';
import { createSha3_256 } from '../../hash/index.js';

/** Bytes read per call. */
const CHUNK = 4 * 1024 * 1024;

/**
 * SHA3-256 (hex) of `size` bytes of `fd` from `position`. Throws what readSync throws (EIO for an
 * unmapped page of /proc/<pid>/mem); a short read is an Error("short read at …").
 */
export function hashRange(fd: number, position: number, size: number, onProgress?: (done: number, total: number) => void): string {
  const h = createSha3_256();
  const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(size, 1)));
  let done = 0;
  while (done < size) {
    const want = Math.min(buf.length, size - done);
    const n = readSync(fd, buf, 0, want, position + done);
    if (n <= 0) throw new Error(`short read at offset ${position + done}`);
    h.update(buf.subarray(0, n));
    done += n;
    onProgress?.(done, size);
  }
  buf.fill(0);
  return toHex(h.digest());
}
