// docs/new-service.md stays true: every TypeScript block in it is a verbatim excerpt of
// examples/new-service.ts, which the examples test runs end to end.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const doc = readFileSync(join(ROOT, 'docs', 'new-service.md'), 'utf8');
const example = readFileSync(join(ROOT, 'examples', 'new-service.ts'), 'utf8').split('\n');

describe('docs/new-service.md', () => {
  const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/\n$/, '').split('\n'));
  it('has the recipe\'s code blocks (errors, store, service, mutex, app)', () => expect(blocks.length).toBeGreaterThanOrEqual(5));
  it.each(blocks.map((b, i) => [i, b]))('block %i is a verbatim excerpt of examples/new-service.ts', (_i, lines) => {
    const found = example.some((_, i) => (lines as string[]).every((l, j) => example[i + j] === l));
    expect(found, (lines as string[]).join('\n')).toBe(true);
  });
  it('names every piece of the layer it teaches', () => {
    for (const word of ['DurableStore', 'AuditTrail', 'KeyedMutex', 'createServiceApp', 'requireSignedRequest', 'mountLogRoutes', 'attachAudit', 'replayGuard', 'lockDataDir', 'app.request']) expect(doc).toContain(word);
  });
});
