// The layering rule for services (STYLE.md "Services"): an HTTP app calls its domain service's
// methods and never reaches its store or log. Checked on every service app under src/ (today the
// governance node and the MPC custodian, coordinator and dealer), by what each app module imports
// and which members it touches.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../../src/', import.meta.url).pathname;

/** Every `app.ts` (or `<service>-app.ts`) under a domain's `server/` folder. */
function serviceApps(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return serviceApps(p);
    return (name === 'app.ts' || name.endsWith('-app.ts')) && dir.endsWith('/server') ? [p] : [];
  });
}

const FORBIDDEN_IMPORTS = [/\/store\//, /\/log\/(sqlite-log|audit-trail)/, /['"]\.\/store\.js['"]/, /['"]\.\/(context|bootstrap|intake|decide|round-cache)\.js['"]/];
const FORBIDDEN_MEMBERS = /\.(store|trail|history|db)\b/;

describe('service apps touch no store or log', () => {
  it('finds the service apps', () => {
    const apps = serviceApps().map((p) => relative(SRC, p));
    expect(apps).toContain('governance/server/app.ts');
    expect(apps).toEqual(expect.arrayContaining(['mpc/server/custodian-app.ts', 'mpc/server/coordinator-app.ts', 'mpc/server/dealer-app.ts']));
  });

  it.each(serviceApps().map((p) => [relative(SRC, p), p]))('%s imports no store/log module and reaches no store, trail or history member', (_name, path) => {
    const text = readFileSync(path, 'utf8');
    const imports = [...text.matchAll(/^import[^;]*from\s+(['"][^'"]+['"])/gm)].map((m) => m[1]!);
    for (const spec of imports) for (const re of FORBIDDEN_IMPORTS) expect(spec, `${spec} matches ${re}`).not.toMatch(re);
    const code = text.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
    expect(code.match(FORBIDDEN_MEMBERS)?.[0]).toBeUndefined();
  });
});
