// The error pattern (core/errors.ts): each class carries its own static code and status, its name
// is its class name, subclasses of subclasses keep their own code, details are optional and
// JSON-safe; and no module builds a bare QuorumkitError with a code where a class exists.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConflictError, EncodingError, InvalidArgumentError, isQuorumkitError, QuorumkitError, type JsonValue,
} from '../../src/core/errors.js';
import { GovernanceError, InvalidVoteError } from '../../src/governance/index.js';
import { ERROR_CLASSES, makeError } from '../_error-classes.js';

describe('QuorumkitError classes', () => {
  it('every exported class: name is its class name, code its static code, status its static status', () => {
    expect(ERROR_CLASSES.length).toBeGreaterThanOrEqual(38);
    for (const [domain, name, C] of ERROR_CLASSES) {
      const e = makeError(C, 'm');
      expect(e, `${domain}.${name}`).toBeInstanceOf(QuorumkitError);
      expect(e).toBeInstanceOf(C);
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe(name);
      expect(C.name).toBe(name);
      expect(C.code, name).toMatch(/^ERR_[A-Z0-9_]+$/);
      if (name !== 'ServiceCallError') expect(e.code, name).toBe(C.code);
      if (name !== 'ServiceCallError') expect(e.status, name).toBe(C.status);
      expect(isQuorumkitError(e, e.code)).toBe(true);
    }
  });

  it('the base class is ERR_INTERNAL / 500 and is named QuorumkitError', () => {
    const e = new QuorumkitError('m');
    expect([QuorumkitError.code, QuorumkitError.status, e.code, e.status, e.name]).toEqual(['ERR_INTERNAL', 500, 'ERR_INTERNAL', 500, 'QuorumkitError']);
  });

  it('InvalidVoteError: name from new.target, its own code, a GovernanceError and a QuorumkitError', () => {
    const e = new InvalidVoteError('bad');
    expect(e.name).toBe('InvalidVoteError');
    expect(e.code).toBe(InvalidVoteError.code);
    expect(e.code).toBe('ERR_INVALID_VOTE');
    expect(e).toBeInstanceOf(GovernanceError);
    expect(e).toBeInstanceOf(QuorumkitError);
    expect(new GovernanceError('x').code).toBe('ERR_GOVERNANCE');
  });

  it('a subclass of a subclass keeps its own code, status and name; one that sets none inherits them', () => {
    class TooManyVotesError extends InvalidVoteError {
      static override readonly code: string = 'ERR_TOO_MANY_VOTES';
      static override readonly status: number = 429;
    }
    class StaleVoteError extends InvalidVoteError {}
    const a = new TooManyVotesError('slow down');
    expect([a.code, a.status, a.name]).toEqual(['ERR_TOO_MANY_VOTES', 429, 'TooManyVotesError']);
    expect(a).toBeInstanceOf(InvalidVoteError);
    const b = new StaleVoteError('old');
    expect([b.code, b.status, b.name]).toEqual(['ERR_INVALID_VOTE', 400, 'StaleVoteError']);
    // the parent is untouched
    expect([InvalidVoteError.code, new InvalidVoteError('x').code]).toEqual(['ERR_INVALID_VOTE', 'ERR_INVALID_VOTE']);
  });

  it('cause and details are kept when given and absent when not', () => {
    const cause = new Error('root');
    const details: Record<string, JsonValue> = { id: 'p1', n: 2, list: [true, null, { k: 'v' }] };
    const e = new ConflictError('taken', { cause, details });
    expect(e.cause).toBe(cause);
    expect(e.details).toEqual(details);
    const bare = new ConflictError('taken');
    expect(bare.details).toBeUndefined();
    expect(Object.hasOwn(bare, 'cause')).toBe(false);
    expect(Object.hasOwn(bare, 'details')).toBe(false);
    expect(Object.hasOwn(new ConflictError('x', { details }), 'cause')).toBe(false);
  });

  it('isQuorumkitError matches any domain code and rejects look-alikes', () => {
    expect(isQuorumkitError(new EncodingError('x'), 'ERR_ENCODING')).toBe(true);
    expect(isQuorumkitError(new EncodingError('x'), 'ERR_INVALID_ARGUMENT')).toBe(false);
    expect(isQuorumkitError(new InvalidVoteError('x'), 'ERR_INVALID_VOTE')).toBe(true);
    expect(isQuorumkitError(Object.assign(new Error('x'), { code: 'ERR_ENCODING' }), 'ERR_ENCODING')).toBe(false);
    expect(new InvalidArgumentError('x')).not.toBeInstanceOf(EncodingError);
  });
});

describe('source lint', () => {
  const SRC = join(import.meta.dirname, '../../src');
  const files = (readdirSync(SRC, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => f.split('\\').join('/'));

  it('no module outside core/errors.ts constructs a bare QuorumkitError (use the owning class)', () => {
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.filter((f) => f !== 'core/errors.ts' && /new\s+QuorumkitError\s*\(/.test(readFileSync(join(SRC, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the lint sees a bare construction when there is one', () => {
    expect(/new\s+QuorumkitError\s*\(/.test(readFileSync(join(SRC, 'core/errors.ts'), 'utf8') + "\nthrow new QuorumkitError('m');")).toBe(true);
  });
});
