// Every JSON document src/ reads goes through parseStrict (DESIGN.md "Parsing JSON"): JSON.parse
// merges duplicate keys, accepts lone surrogates and — in V8 (Node 24/26, Chromium; nodejs/node#63785)
// — can decode an escaped one-character key as "\\", silently changing signed content. This check
// walks the TypeScript syntax of every file under src/ and examples/ (what callers copy; comments
// and strings do not count) and fails on `JSON.parse`, `JSON['parse']` and the body readers built
// on it (`res.json()`, `c.req.json()`) outside the allow-list below.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// Permanent exceptions, each with its reason and exact count (the check fails when a file gains a
// site, and when it loses one: delete the entry). Keep this short; there are none today.
const ALLOWED: Readonly<Record<string, number>> = {};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.generated.ts'))
    .map((f) => join(dir, f));
}

/** `JSON.parse` / `JSON['parse']` references and zero-argument `.json()` calls, as "line: text". */
function jsonParseSites(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const sites: string[] = [];
  const at = (n: ts.Node): string => {
    const { line } = sf.getLineAndCharacterOfPosition(n.getStart(sf));
    return `${line + 1}: ${n.getText(sf).slice(0, 80)}`;
  };
  const isJson = (e: ts.Expression): boolean => ts.isIdentifier(e) && e.text === 'JSON';
  const visit = (n: ts.Node): void => {
    if (ts.isPropertyAccessExpression(n) && isJson(n.expression) && n.name.text === 'parse') sites.push(at(n));
    else if (ts.isElementAccessExpression(n) && isJson(n.expression) && ts.isStringLiteralLike(n.argumentExpression) && n.argumentExpression.text === 'parse') sites.push(at(n));
    else if (ts.isCallExpression(n) && n.arguments.length === 0 && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'json') sites.push(at(n));
    ts.forEachChild(n, visit);
  };
  visit(sf);
  // TSDoc @example lines teach callers what to write: count JSON.parse there too.
  text.split('\n').forEach((line, i) => {
    if (/^\s*\*.*\bJSON\.parse\(/.test(line)) sites.push(`${i + 1}: ${line.trim().slice(0, 80)} (doc example)`);
  });
  return sites;
}

describe('JSON parsing in src/ and examples/', () => {
  it('uses parseStrict everywhere: no JSON.parse or .json() outside the allow-list', () => {
    const found: Record<string, string[]> = {};
    for (const file of [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'examples'))]) {
      const sites = jsonParseSites(file, readFileSync(file, 'utf8'));
      if (sites.length > 0) found[relative(ROOT, file).replaceAll('\\', '/')] = sites;
    }
    const problems: string[] = [];
    for (const [file, sites] of Object.entries(found)) {
      const allowed = ALLOWED[file] ?? 0;
      if (sites.length !== allowed) problems.push(`${file}: ${sites.length} site(s), allow-list says ${allowed}\n    ${sites.join('\n    ')}`);
    }
    for (const file of Object.keys(ALLOWED)) {
      if (!(file in found)) problems.push(`${file}: no site left — delete its allow-list entry`);
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('the check sees code, not comments or strings, and catches every spelling', () => {
    const sample = [
      '// JSON.parse(x) in a comment',
      'const s = "JSON.parse(x)";',
      'const a = JSON.parse(text);',
      "const b = JSON['parse'](text);",
      'const c = await res.json();',
      'const d = c.json(body, 200);',
      '/** @example',
      ' * const v = JSON.parse(received);',
      ' */',
    ].join('\n');
    expect(jsonParseSites('sample.ts', sample).map((s) => s.split(':')[0])).toEqual(['3', '4', '5', '8']);
  });
});
