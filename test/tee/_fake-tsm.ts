// A fake configfs-tsm kernel for tests: a TsmFs over a temporary directory that answers as the
// kernel's report interface does (Documentation/ABI/testing/configfs-tsm-report) — creating a
// report directory gives it `provider` and `generation`; every write of `inblob` or `privlevel`
// bumps `generation`, and `outblob` (and `auxblob`) are what `respond` makes of the request.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { TsmFs } from '../../src/tee/node/configfs-tsm.js';

export interface FakeTsm extends TsmFs {
  /** Called when `outblob` is read: a concurrent writer can be simulated by bumping the generation here. */
  onOutblobRead?: (dir: string) => void;
  /** The report directories that exist now. */
  readonly live: () => string[];
  bump(dir: string): void;
}

export function fakeTsm(root: string, provider: string, respond: (inblob: Uint8Array, privlevel: number) => { outblob: Uint8Array; auxblob?: Uint8Array }): FakeTsm {
  mkdirSync(root, { recursive: true });
  const state = new Map<string, { inblob: Uint8Array; privlevel: number }>();
  const gen = (d: string): number => Number(readFileSync(join(d, 'generation'), 'utf8'));
  const fake: FakeTsm = {
    exists: (p) => existsSync(p),
    mkdir: (p) => {
      mkdirSync(p);
      writeFileSync(join(p, 'provider'), `${provider}\n`);
      writeFileSync(join(p, 'generation'), '0\n');
      state.set(p, { inblob: new Uint8Array(0), privlevel: 0 });
    },
    rmdir: (p) => { rmSync(p, { recursive: true, force: true }); state.delete(p); },
    read: (p) => {
      const d = dirname(p);
      if (basename(p) === 'outblob') {
        const s = state.get(d)!;
        const r = respond(s.inblob, s.privlevel);
        writeFileSync(join(d, 'outblob'), r.outblob);
        if (r.auxblob) writeFileSync(join(d, 'auxblob'), r.auxblob);
        fake.onOutblobRead?.(d);
      }
      return new Uint8Array(readFileSync(p));
    },
    write: (p, data) => {
      const d = dirname(p);
      const s = state.get(d)!;
      if (basename(p) === 'inblob') s.inblob = data.slice();
      else if (basename(p) === 'privlevel') s.privlevel = Number(new TextDecoder().decode(data));
      else throw Object.assign(new Error(`EACCES: ${p}`), { code: 'EACCES' });
      writeFileSync(p, data);
      fake.bump(d);
    },
    live: () => [...state.keys()],
    bump: (d) => writeFileSync(join(d, 'generation'), `${gen(d) + 1}\n`),
  };
  return fake;
}
