// A minimal keep-alive HTTP/1.1 client for load generation (bench/_governance-load.ts): requests are
// serialized to bytes once, before timing, and written on a persistent connection, one in flight per
// connection; the answer is read up to its Content-Length. node:http's client costs ~250 µs of CPU
// per request here — a quarter of a core at 1,000 requests/s, taken from the very machine whose
// server is measured; this costs a fraction. Only what a quorumkit service answers is handled
// (a status line, headers, a Content-Length body); anything else is an error, never a guess.

import { connect, type Socket } from 'node:net';

/** An answer: status and body bytes. */
export interface Http1Answer {
  readonly status: number;
  readonly body: Buffer;
}

/** Serializes one request (`content-length` is set from the body). */
export function serializeRequest(method: string, path: string, host: string, headers: Readonly<Record<string, string>>, body: Buffer): Buffer {
  let head = `${method} ${path} HTTP/1.1\r\nhost: ${host}\r\n`;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() !== 'content-length' && k.toLowerCase() !== 'host') head += `${k}: ${v}\r\n`;
  head += `content-length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** One persistent connection. */
export class Http1Connection {
  readonly #socket: Socket;
  #buffer: Buffer = Buffer.alloc(0);
  #pending: { resolve: (a: Http1Answer) => void; reject: (e: Error) => void } | undefined;
  #closed: Error | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    const fail = (e: Error): void => {
      this.#closed ??= e;
      this.#pending?.reject(e);
      this.#pending = undefined;
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed by the server')));
  }

  /** Connects to `host:port`. */
  static open(host: string, port: number): Promise<Http1Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.once('connect', () => resolve(new Http1Connection(socket)));
      socket.once('error', reject);
    });
  }

  /** True once the connection can take no more requests. */
  get closed(): boolean {
    return this.#closed !== undefined;
  }

  /** Sends serialized request bytes and resolves with the answer. */
  request(wire: Buffer): Promise<Http1Answer> {
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    if (this.#pending !== undefined) return Promise.reject(new Error('a request is already in flight on this connection'));
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#socket.write(wire);
    });
  }

  /** Closes the connection. */
  close(): void {
    this.#closed ??= new Error('connection closed');
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const end = this.#buffer.indexOf(HEADER_END);
    if (end < 0) return;
    const head = this.#buffer.subarray(0, end).toString('latin1');
    const lines = head.split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
    let length: number | undefined;
    for (const line of lines) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      if (name === 'content-length') length = Number(line.slice(colon + 1).trim());
      if (name === 'transfer-encoding') return this.#fail(new Error(`unsupported transfer-encoding in answer: ${line}`));
    }
    if (status === null || length === undefined || !Number.isSafeInteger(length)) return this.#fail(new Error(`unsupported answer head: ${lines[0]}`));
    const total = end + HEADER_END.length + length;
    if (this.#buffer.length < total) return;
    const body = this.#buffer.subarray(end + HEADER_END.length, total);
    this.#buffer = this.#buffer.subarray(total);
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.resolve({ status: Number(status[1]), body });
  }

  #fail(e: Error): void {
    this.#pending?.reject(e);
    this.#pending = undefined;
    this.close();
  }
}
