// readBodyBytes, requestPath and stderrLog, driven through a real Hono app (app.request: the
// web-standard fetch path, no sockets needed).
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createServiceApp, readBodyBytes, requestPath, stderrLog } from '../../src/http/index.js';

function echoApp(): ReturnType<typeof createServiceApp> {
  const app = createServiceApp({ service: 'echo', log: () => {} });
  app.all('*', async (c) => {
    const first = await readBodyBytes(c);
    const second = await readBodyBytes(c); // cached: the middleware and the handler may both read
    return c.json({ path: requestPath(c), first: [...first], same: first.length === second.length && first.every((b, i) => b === second[i]), isU8: first instanceof Uint8Array });
  });
  return app;
}

describe('readBodyBytes', () => {
  it('returns the exact bytes sent (any bytes, twice), and empty for no body', async () => {
    const app = echoApp();
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
      const res = await app.request('/x', { method: 'POST', body: bytes as Uint8Array<ArrayBuffer> });
      const j = (await res.json()) as { first: number[]; same: boolean; isU8: boolean };
      expect(j.first).toEqual([...bytes]);
      expect(j.same).toBe(true);
      expect(j.isU8).toBe(true);
    }), { numRuns: 50 });
    const j = (await (await app.request('/x')).json()) as { first: number[] };
    expect(j.first).toEqual([]);
  });
});

describe('requestPath', () => {
  it('is the path and query exactly as requested (what a signed request signs)', async () => {
    const app = echoApp();
    const cases = ['/', '/v1/proposals', '/v1/proposals?status=open', '/a/b?x=1&x=2&y=', '/v1/p%2Fq?z=%20', '/x?'];
    const expected = ['/', '/v1/proposals', '/v1/proposals?status=open', '/a/b?x=1&x=2&y=', '/v1/p%2Fq?z=%20', '/x'];
    for (let i = 0; i < cases.length; i++) {
      const j = (await (await app.request(`http://localhost${cases[i]!}`)).json()) as { path: string };
      expect(j.path, cases[i]).toBe(expected[i]); // URL drops a bare trailing "?" (empty search)
    }
    // the fragment never reaches the server; the host is not part of the path
    expect(((await (await app.request('http://example.test:8080/p?q=1')).json()) as { path: string }).path).toBe('/p?q=1');
  });
});

describe('stderrLog', () => {
  const original = console.error;
  afterEach(() => {
    console.error = original;
  });

  it('writes exactly one JSON line per entry to console.error', () => {
    const lines: unknown[][] = [];
    console.error = (...args: unknown[]) => void lines.push(args);
    const entry = { t: '2026-01-01T00:00:00.000Z', service: 's', status: 200, nested: { a: [1, 'two'] }, caller: 'did:pqaid:x' };
    stderrLog(entry);
    stderrLog({});
    expect(lines).toHaveLength(2);
    expect(lines[0]).toHaveLength(1);
    expect(typeof lines[0]![0]).toBe('string');
    expect(lines[0]![0]).not.toContain('\n');
    expect(JSON.parse(lines[0]![0] as string)).toEqual(entry);
    expect(lines[1]).toEqual(['{}']);
  });

  it('is the default sink of createServiceApp: one line per request', async () => {
    const lines: string[] = [];
    console.error = (...args: unknown[]) => void lines.push(String(args[0]));
    const app = createServiceApp({ service: 'default-sink' });
    app.get('/ok', (c) => c.text('ok'));
    await app.request('/ok', { headers: { 'x-request-id': 'rid-123' } });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ service: 'default-sink', requestId: 'rid-123', method: 'GET', path: '/ok', status: 200 });
  });

  it('throws (does not swallow) for an entry JSON cannot serialise', () => {
    console.error = () => {};
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => stderrLog(cyclic)).toThrow(TypeError);
    expect(() => stderrLog({ n: 1n })).toThrow(TypeError);
  });
});

describe('x-request-id', () => {
  it('is on every answer — success, thrown error, 404 and 413 — echoing a valid incoming id, else a fresh one', async () => {
    const app = createServiceApp({ service: 'rid', log: () => {}, maxBodyBytes: 8 });
    app.get('/ok', (c) => c.json({ ok: true }));
    app.get('/boom', () => {
      throw new RangeError('boom');
    });
    app.post('/big', (c) => c.json({ ok: true }));
    const answers = [
      await app.request('/ok', { headers: { 'x-request-id': 'rid-1' } }),
      await app.request('/boom', { headers: { 'x-request-id': 'rid-1' } }),
      await app.request('/nowhere', { headers: { 'x-request-id': 'rid-1' } }),
      await app.request('/big', { method: 'POST', body: 'x'.repeat(64), headers: { 'x-request-id': 'rid-1', 'content-length': '64' } }),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 500, 404, 413]);
    for (const r of answers) expect(r.headers.get('x-request-id')).toBe('rid-1');
    const fresh = await app.request('/ok', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
