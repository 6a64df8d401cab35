// No function over 60 lines in src/governance/ (issue 8 "Must show"): every function, method,
// constructor, accessor and arrow function body is measured with the TypeScript compiler API
// (lines from the body's first to its last character, braces included). Offenders are listed with
// file, name and length; there is no allow-list.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const DIR = join(ROOT, 'src', 'governance');
const MAX_LINES = 60;

interface Measured {
  readonly where: string;
  readonly lines: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function nameOf(node: ts.Node, sf: ts.SourceFile): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name !== undefined) return named.name.getText(sf);
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return parent.name.getText(sf);
  const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return `<anonymous at line ${line + 1}>`;
}

function measure(file: string): Measured[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: Measured[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const body = node.body as ts.Node;
      const first = sf.getLineAndCharacterOfPosition(body.getStart(sf)).line;
      const last = sf.getLineAndCharacterOfPosition(body.getEnd()).line;
      out.push({ where: `${relative(ROOT, file)}#${nameOf(node, sf)}`, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

describe('function length in src/governance/', () => {
  const all = sourceFiles(DIR).flatMap(measure);

  it('measures every function (the walker finds what it should)', () => {
    expect(all.length).toBeGreaterThan(200);
    expect(all.some((m) => m.where === 'src/governance/offline-verify.ts#verifyResultOffline')).toBe(true);
    expect(all.some((m) => m.where === 'src/governance/proposal.ts#constructor')).toBe(true);
    const sample = measure(join(DIR, 'policy.ts')).find((m) => m.where.endsWith('#formatPercent'))!;
    expect(sample.lines).toBeGreaterThan(5);
  });

  it(`no function body in src/governance/ (server included) is over ${MAX_LINES} lines`, () => {
    expect(all.some((m) => m.where.startsWith('src/governance/server/'))).toBe(true);
    expect(all.filter((m) => m.lines > MAX_LINES).map((m) => `${m.where}: ${m.lines} lines`)).toEqual([]);
  });
});
