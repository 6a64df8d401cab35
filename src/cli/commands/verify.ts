// `quorumkit verify`: exit 0 valid, 1 invalid, 2 bad input; the JSON verdict goes to stdout.

import type { Command } from 'commander';
import { verifyEnvelope } from '../../envelope/verify.js';
import { checkEnvelopeShape } from '../../envelope/shape.js';
import { normalizePayloadType } from '../../envelope/payload-type.js';
import { isPqaidDid } from '../../pq/did.js';
import { CliExit, EXIT_INVALID, badInput } from '../errors.js';
import { readJsonFile } from '../io.js';

interface VerifyOptions {
  readonly in: string;
  readonly trust?: string;
  readonly type?: string;
  readonly threshold?: string;
}

function readTrustFile(path: string): string[] {
  const json = readJsonFile(path, 'trust file');
  const list = Array.isArray(json) ? json : (json as { trusted?: unknown } | null)?.trusted;
  if (!Array.isArray(list) || list.length === 0 || !list.every((d) => typeof d === 'string' && isPqaidDid(d))) {
    throw badInput(`trust file ${path} must be a non-empty JSON array of did:pqaid strings (or {"trusted":[...]})`);
  }
  return list as string[];
}

/** Registers `verify` on `program`. */
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('verify an envelope; prints the verdict as JSON (exit 0 valid, 1 invalid, 2 bad input)')
    .requiredOption('--in <file>', 'envelope file')
    .option('--trust <file>', 'JSON array of trusted dids; only they count toward the threshold')
    .option('--type <type>', 'required payload type (or bare kind)')
    .option('--threshold <n>', 'distinct trusted signers required', '1')
    .action(async (opts: VerifyOptions) => {
      const threshold = Number(opts.threshold);
      if (!Number.isSafeInteger(threshold) || threshold < 1) throw badInput(`--threshold expects an integer ≥ 1, got ${opts.threshold}`);
      let payloadType: string | undefined;
      try {
        payloadType = opts.type === undefined ? undefined : normalizePayloadType(opts.type);
      } catch (err) {
        throw badInput((err as Error).message);
      }
      const trusted = opts.trust === undefined ? undefined : readTrustFile(opts.trust);
      const env = readJsonFile(opts.in, 'envelope');
      const shapeError = checkEnvelopeShape(env);
      if (shapeError) throw badInput(`${opts.in} is not an envelope: ${shapeError}`);
      const r = await verifyEnvelope(env, {
        threshold,
        ...(trusted ? { trusted } : {}),
        ...(payloadType ? { payloadType } : {}),
      });
      process.stdout.write(
        `${JSON.stringify({ valid: r.valid, payloadType: r.payloadType, signers: r.signers, reasons: r.reasons, body: r.valid ? r.body : undefined })}\n`,
      );
      if (!r.valid) throw new CliExit(EXIT_INVALID, `envelope invalid: ${r.reasons[0] ?? 'unknown reason'}`);
    });
}
