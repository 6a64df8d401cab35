// A service built on src/http, over real HTTP on loopback (ephemeral port): every bad request gets
// a 4xx with { error: { code, message, requestId } } and changes no state.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8Encode } from '../../src/core/bytes.js';
import { fixedClock } from '../../src/core/clock.js';
import {
  callService,
  compileSchema,
  createServiceApp,
  NonceCache,
  readJsonBody,
  requireSignedRequest,
  serveApp,
  ServiceCallError,
  nodeTransport,
  signRequest,
  type RunningServer,
} from '../../src/http/index.js';
import { Identity } from '../../src/pq/identity.js';

let alice: Identity;
let bob: Identity;
let server: RunningServer;
let counter = 0;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  alice = await Identity.create('alice', { level: 44 });
  bob = await Identity.create('bob', { level: 44 });
  const app = createServiceApp({ service: 'test-counter', maxBodyBytes: 1024, log: (e) => logs.push(e) });
  const check = compileSchema<{ n: number }>({
    type: 'object',
    required: ['n'],
    additionalProperties: false,
    properties: { n: { type: 'integer', minimum: 0, maximum: 100 } },
  });
  const auth = requireSignedRequest({ nonces: new NonceCache(), audience: 'did:pqaid:svc', isAllowed: (did) => did === alice.did });
  app.post('/v1/add', auth, async (c) => {
    const body = await readJsonBody(c, check);
    counter += body.n;
    return c.json({ counter, caller: c.get('caller') });
  });
  app.get('/v1/counter', (c) => c.json({ counter }));
  // Echoes the integer `n` of a body read with bigints, as text (exact beyond 2^53).
  app.post('/v1/echo-big', async (c) => {
    const body = await readJsonBody<{ n: unknown }>(c, undefined, { bigints: true });
    return c.body(`{"n":${String(body.n)},"type":"${typeof body.n}"}`, 200, { 'content-type': 'application/json' });
  });
  // Raw bodies a broken or hostile peer could send back.
  const RAW: Record<string, [number, string]> = {
    duplicate: [200, '{"a":1,"a":2}'],
    escaped: [200, String.raw`{"!":1,"\"":"deny"}`],
    garbage: [200, '{"a":'],
    empty: [200, ''],
    'error-duplicate': [409, '{"error":{"code":"ERR_X","code":"ERR_Y","message":"m"}}'],
  };
  app.get('/v1/raw/:name', (c) => {
    const [status, text] = RAW[c.req.param('name')]!;
    return c.body(text, status as 200, { 'content-type': 'application/json' });
  });
  server = await serveApp(app);
});
afterAll(() => server.close());

async function post(body: string | Uint8Array, opts: { signer?: Identity; headers?: Record<string, string>; path?: string } = {}): Promise<{ status: number; json: any; headers: Headers }> {
  const bytes = typeof body === 'string' ? utf8Encode(body) : body;
  const path = opts.path ?? '/v1/add';
  const signed = opts.signer ? await signRequest(opts.signer, { method: 'POST', path, body: bytes, audience: 'did:pqaid:svc' }) : {};
  const res = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...signed, ...opts.headers }, body: bytes as Uint8Array<ArrayBuffer> });
  return { status: res.status, json: await res.json(), headers: res.headers };
}

function expectError(r: { status: number; json: any }, status: number, code: string): void {
  expect(r.status, JSON.stringify(r.json)).toBe(status);
  expect(r.json.error.code).toBe(code);
  expect(typeof r.json.error.message).toBe('string');
  expect(r.json.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
}

describe('service toolkit over real HTTP', () => {
  it('accepts a signed, valid request and echoes x-request-id', async () => {
    const before = counter;
    const r = await post('{"n":5}', { signer: alice, headers: { 'x-request-id': 'req-123' } });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ counter: before + 5, caller: alice.did });
    expect(r.headers.get('x-request-id')).toBe('req-123');
    const line = logs.find((l) => l.requestId === 'req-123')!;
    expect(line).toMatchObject({ service: 'test-counter', method: 'POST', path: '/v1/add', status: 200, caller: alice.did });
    expect(JSON.stringify(line)).not.toMatch(/"n"|qk-signature/);
  });

  it('rejects bad requests with 4xx JSON errors and no state change', async () => {
    const before = counter;
    expectError(await post('{"n":5}'), 401, 'ERR_UNAUTHENTICATED');
    expectError(await post('{"n":1,}', { signer: alice }), 400, 'ERR_JSON_PARSE');
    expectError(await post('{"n":1,"n":2}', { signer: alice }), 400, 'ERR_JSON_DUPLICATE_KEY');
    expectError(await post('{"n":-1}', { signer: alice }), 400, 'ERR_SCHEMA_INVALID');
    expectError(await post('{"n":1,"x":2}', { signer: alice }), 400, 'ERR_SCHEMA_INVALID');
    expectError(await post('{"n":"1"}', { signer: alice }), 400, 'ERR_SCHEMA_INVALID');
    expectError(await post(new Uint8Array([0x7b, 0xff, 0x7d]), { signer: alice }), 400, 'ERR_ENCODING');
    expectError(await post(`{"n":1,"pad":"${'x'.repeat(2000)}"}`, { signer: alice }), 413, 'ERR_PAYLOAD_TOO_LARGE');
    expectError(await post('{"n":5}', { signer: alice, headers: { 'content-type': 'text/plain' } }), 400, 'ERR_INVALID_ARGUMENT');
    expectError(await post('{"n":5}', { signer: bob }), 403, 'ERR_FORBIDDEN');
    const res = await fetch(`${server.url}/v1/nope`);
    expectError({ status: res.status, json: await res.json() }, 404, 'ERR_NOT_FOUND');
    expect(counter).toBe(before);
  });

  it('limits chunked bodies (no content-length) while they stream, and judges sized ones by the header', async () => {
    const chunked = (chunks: string[], headers: Record<string, string> = {}): Promise<{ status: number; json: any }> =>
      new Promise((resolve, reject) => {
        const u = new URL(`${server.url}/v1/add`);
        const req = httpRequest({ host: u.hostname, port: Number(u.port), method: 'POST', path: u.pathname, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
        });
        req.on('error', reject);
        for (const c of chunks) req.write(c);
        req.end();
      });
    const before = counter;
    expectError(await chunked(['{"n":1,"pad":"', 'x'.repeat(700), 'x'.repeat(700), '"}']), 413, 'ERR_PAYLOAD_TOO_LARGE');
    const body = utf8Encode('{"n":3}');
    const signed = await signRequest(alice, { method: 'POST', path: '/v1/add', body, audience: 'did:pqaid:svc' });
    const ok = await chunked(['{"n":', '3}'], signed);
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    expect(counter).toBe(before + 3);
  });

  it('rejects tampered, replayed, skewed and garbled signatures with 401', async () => {
    const before = counter;
    const body = utf8Encode('{"n":1}');
    const headers = await signRequest(alice, { method: 'POST', path: '/v1/add', body, audience: 'did:pqaid:svc' });
    expectError(await post('{"n":9}', { headers }), 401, 'ERR_UNAUTHENTICATED'); // body swapped
    const other = await signRequest(alice, { method: 'POST', path: '/v1/other', body, audience: 'did:pqaid:svc' });
    expectError(await post(body, { headers: other }), 401, 'ERR_UNAUTHENTICATED'); // path swapped
    expect((await post(body, { headers })).status).toBe(200);
    expectError(await post(body, { headers }), 401, 'ERR_UNAUTHENTICATED'); // replay
    const old = await signRequest(alice, { method: 'POST', path: '/v1/add', body, audience: 'did:pqaid:svc' }, fixedClock('2020-01-01T00:00:00Z'));
    expectError(await post(body, { headers: old }), 401, 'ERR_UNAUTHENTICATED');
    const swappedKey = { ...(await signRequest(alice, { method: 'POST', path: '/v1/add', body, audience: 'did:pqaid:svc' })), 'qk-public-key': Buffer.from(bob.publicKey).toString('base64') };
    expectError(await post(body, { headers: swappedKey }), 401, 'ERR_UNAUTHENTICATED');
    for (const h of ['qk-signature', 'qk-nonce', 'qk-timestamp', 'qk-alg']) {
      const fresh = await signRequest(alice, { method: 'POST', path: '/v1/add', body, audience: 'did:pqaid:svc' });
      expectError(await post(body, { headers: { ...fresh, [h]: 'garbage' } }), 401, 'ERR_UNAUTHENTICATED');
    }
    expect(counter).toBe(before + 1);
  });

  it('callService signs, parses and turns error bodies into ServiceCallError', async () => {
    const r = await callService<{ counter: number }>(server.url, '/v1/add', { body: { n: 2 }, signer: alice, audience: 'did:pqaid:svc' });
    expect(r.counter).toBe(counter);
    expect(await callService(server.url, '/v1/counter')).toEqual({ counter });
    const err = await callService(server.url, '/v1/add', { body: { n: 2 }, signer: bob, audience: 'did:pqaid:svc' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceCallError);
    expect(err).toMatchObject({ code: 'ERR_FORBIDDEN', status: 403, details: { code: 'ERR_FORBIDDEN' } });
    await expect(callService('http://127.0.0.1:1', '/x', { timeoutMs: 2000 })).rejects.toMatchObject({ code: 'ERR_IO' });
  });

  it('callService over the keep-alive node:http transport: the same signing, parsing, errors and timeouts', async () => {
    const transport = nodeTransport({ maxResponseBytes: 64 * 1024 });
    const before = counter;
    for (let i = 0; i < 3; i++) await callService(server.url, '/v1/add', { body: { n: 1 }, signer: alice, audience: 'did:pqaid:svc', transport });
    expect(counter).toBe(before + 3);
    expect(await callService(server.url, '/v1/counter', { transport })).toEqual({ counter });
    await expect(callService(server.url, '/v1/add', { body: { n: 2 }, signer: bob, audience: 'did:pqaid:svc', transport })).rejects.toMatchObject({ code: 'ERR_FORBIDDEN', status: 403 });
    await expect(callService(server.url, '/v1/raw/duplicate', { transport })).rejects.toMatchObject({ code: 'ERR_IO', message: expect.stringContaining('not strict JSON') });
    expect(await callService(server.url, '/v1/raw/empty', { transport })).toBeNull();
    await expect(callService('http://127.0.0.1:1', '/x', { timeoutMs: 2000, transport })).rejects.toMatchObject({ code: 'ERR_IO' });
    await expect(callService(server.url, '/v1/counter', { transport: nodeTransport({ maxResponseBytes: 4 }) })).rejects.toMatchObject({ code: 'ERR_IO' });
    expect(counter).toBe(before + 3);
  });

  it('the node:http transport sends a request once more when the server had closed the reused keep-alive socket', async () => {
    const { createServer } = await import('node:net');
    let requests = 0;
    let connections = 0;
    const raw = createServer((sock) => {
      let onThis = 0;
      connections++;
      let buf = '';
      sock.on('data', (d: Buffer) => {
        buf += d.toString('latin1');
        while (buf.includes('\r\n\r\n')) {
          buf = buf.slice(buf.indexOf('\r\n\r\n') + 4);
          requests++;
          if (++onThis === 2) { sock.resetAndDestroy(); return; } // a server that dropped the idle connection
          const body = `{"n":${requests}}`;
          sock.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: keep-alive\r\n\r\n${body}`);
        }
      });
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(raw.address() as { port: number }).port}`;
    const transport = nodeTransport();
    expect(await callService(url, '/a', { transport })).toEqual({ n: 1 });
    expect(await callService(url, '/b', { transport })).toEqual({ n: 3 }); // the 2nd was reset, the 3rd answered
    expect([requests, connections]).toEqual([3, 2]);
    await new Promise((r) => raw.close(r));
  });

  it('bodyText is sent as is, and bigints: true reads exact integers on both sides', async () => {
    const big = '123456789012345678901234567890';
    const r = await callService<{ n: bigint; type: string }>(server.url, '/v1/echo-big', { bodyText: `{"n":${big}}`, bigints: true });
    expect(r).toEqual({ n: BigInt(big), type: 'bigint' });
    const small = await callService<{ n: number; type: string }>(server.url, '/v1/echo-big', { bodyText: '{"n":7}' });
    expect(small).toEqual({ n: 7, type: 'number' });
    await expect(callService(server.url, '/v1/echo-big', { bodyText: '{}', body: {} })).rejects.toThrow(TypeError);
    await expect(callService(server.url, '/v1/echo-big', { bodyText: 5 as unknown as string })).rejects.toThrow(TypeError);
  });

  it('callService reads answers with parseStrict: a 2xx body that is not strict JSON is ERR_IO, escaped keys are exact', async () => {
    for (const name of ['duplicate', 'garbage']) {
      await expect(callService(server.url, `/v1/raw/${name}`), name).rejects.toMatchObject({ code: 'ERR_IO', message: expect.stringContaining('not strict JSON') });
    }
    expect(await callService(server.url, '/v1/raw/empty')).toBeNull();
    JSON.parse(String.raw`{"!":0,"\\":0}`); // V8's JSON.parse would now read the next body's "\"" key as "\\"
    expect(Object.keys((await callService<object>(server.url, '/v1/raw/escaped'))!)).toEqual(['!', '"']);
    // An error body that is not strict JSON is not believed: the error keeps the HTTP status, code ERR_IO.
    await expect(callService(server.url, '/v1/raw/error-duplicate')).rejects.toMatchObject({ code: 'ERR_IO', status: 409, details: {} });
  });
});

describe('signed requests with a durable replay guard', () => {
  it('run the handler while the nonce is being written, in the same group commit, and answer once it is durable', async () => {
    const { NotesStore } = await import('../store/_notes-store.js');
    const store = NotesStore.open(':memory:');
    const app = createServiceApp({ service: 'notes', log: () => undefined });
    const seen: number[] = []; // operations queued (not yet committed) when the handler starts
    app.post('/v1/notes', requireSignedRequest({ nonces: store.replayGuard(), audience: 'did:pqaid:notes' }), async (c) => {
      seen.push(store.pending);
      await store.add(`n${seen.length}`, 'x');
      return c.json({ ok: true });
    });
    const body = utf8Encode('{}');
    const send = async (headers: Record<string, string>): Promise<number> =>
      (await app.request('/v1/notes', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...headers }, body: body as Uint8Array<ArrayBuffer> })).status;
    const headers = await signRequest(alice, { method: 'POST', path: '/v1/notes', body, audience: 'did:pqaid:notes' });
    const [a, b] = await Promise.all([send(headers), send(headers)]); // the same nonce twice, concurrently
    expect([a, b].sort()).toEqual([200, 401]);
    expect(seen).toEqual([1]); // its nonce was still queued when the handler ran
    expect(store.ids()).toEqual(['n1']);
    expect(await send(headers)).toBe(401); // and now on disk
    await store.close();
  });
});
