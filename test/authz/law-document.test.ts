// Law documents `quorumkit/authz-law/v1` (src/authz/law/document.ts, schema.ts): round trips through
// LawOracle and text; the JSON Schema (compiled with the service's ajv, test/Node only) and the hand
// validator agree on the shape of every example — the parser is stricter only where a schema cannot
// see (conditions, field names, unique ids, procedure references); every refusal is typed with the
// JSON pointer (and for conditions the norm id and position); a refused input changes nothing.
import { describe, expect, it } from 'vitest';
import {
  ConditionSyntaxError,
  LAW_DOCUMENT_SCHEMA,
  LawDocumentError,
  LawOracle,
  MAX_LAW_DOCUMENT_CHARS,
  MAX_LAW_NORMS,
  defaultLawDocument,
  lawToDocument,
  parseLawDocument,
} from '../../src/authz/index.js';
import { QuorumkitError } from '../../src/core/errors.js';
import { compileSchema } from '../../src/http/schema.js';

const validate = compileSchema<unknown>(LAW_DOCUMENT_SCHEMA);
const schemaOk = (v: unknown): boolean => {
  try {
    validate(v);
    return true;
  } catch {
    return false;
  }
};
const base = (): Record<string, unknown> => structuredClone(defaultLawDocument('society:test')) as unknown as Record<string, unknown>;
const withNorm = (n: unknown): Record<string, unknown> => ({ ...base(), norms: [n] });

function refusal(input: unknown): QuorumkitError {
  try {
    parseLawDocument(input);
  } catch (e) {
    expect(e).toBeInstanceOf(QuorumkitError);
    return e as QuorumkitError;
  }
  throw new Error('accepted');
}

describe('round trip', () => {
  it('defaults: document → LawOracle → lawToDocument → JSON text → parseLawDocument is the same document', () => {
    const doc = defaultLawDocument('society:test');
    const oracle = new LawOracle(doc);
    const back = lawToDocument(oracle);
    expect(back).toEqual(doc);
    expect(Object.isFrozen(back)).toBe(false); // a fresh copy
    expect(parseLawDocument(JSON.stringify(back))).toEqual(doc);
    expect(new LawOracle(JSON.stringify(back)).checkLegality).toBeTypeOf('function');
  });

  it('normal form: procedure defaults are filled in, and then round-trip', () => {
    const doc = { ...base(), procedures: [{ id: 'P', triggers: ['atp_cost > 1'], witnesses: 1 }] };
    const parsed = parseLawDocument(doc);
    expect(parsed.procedures[0]).toEqual({ id: 'P', triggers: ['atp_cost > 1'], witnesses: 1, quorum: 0, steps: [], timeoutSeconds: null });
    expect(parseLawDocument(lawToDocument(new LawOracle(parsed)))).toEqual(parsed);
    expect(Object.isFrozen(parsed) && Object.isFrozen(parsed.norms) && Object.isFrozen(parsed.procedures[0])).toBe(true);
  });

  it('-0 reads as 0, so the document survives JSON text unchanged', () => {
    const d = parseLawDocument({ ...base(), procedures: [{ id: 'P', triggers: [], witnesses: -0, quorum: -0 }], defaultRole: { actions: [], resourceLimits: { a: -0 }, trustThreshold: -0, requiresWitness: false, maxAtpPerAction: -0 } });
    expect(Object.is(d.procedures[0]!.witnesses, 0) && Object.is(d.procedures[0]!.quorum, 0) && Object.is(d.defaultRole!.trustThreshold, 0) && Object.is(d.defaultRole!.maxAtpPerAction, 0) && Object.is(d.defaultRole!.resourceLimits['a'], 0)).toBe(true);
    expect(parseLawDocument(JSON.stringify(d))).toEqual(d);
  });

  it('optional fields: lawOracle, previousVersion, defaultRole, roles, reason, LIMIT without when', () => {
    const doc = {
      schema: 'quorumkit/authz-law/v1', version: '3', society: 's', previousVersion: '2',
      roles: [{ role: 'role:a b', actions: [], resourceLimits: {}, trustThreshold: 0, requiresWitness: false, maxAtpPerAction: 0 }],
      norms: [{ id: 'L', type: 'LIMIT', condition: 'atp_cost < 5' }], procedures: [],
    };
    expect(parseLawDocument(doc)).toEqual(doc);
    expect(schemaOk(doc)).toBe(true);
  });
});

// [name, document, what the parser throws (null: accepts), whether the schema accepts]
const bad = (over: Record<string, unknown>): Record<string, unknown> => ({ ...base(), ...over });
const CASES: [string, unknown, RegExp | null, boolean][] = [
  ['defaults', base(), null, true],
  ['not an object', [1], /law document \/: expected an object/, false],
  ['null', null, /expected an object, got null/, false],
  ['unknown top-level key', bad({ extra: 1 }), /unknown key "extra"/, false],
  ['missing norms', (() => { const d = base(); delete d['norms']; return d; })(), /missing key "norms"/, false],
  ['wrong schema id', bad({ schema: 'quorumkit/authz-law/v2' }), /\/schema: expected "quorumkit\/authz-law\/v1"/, false],
  ['empty version', bad({ version: '' }), /\/version: expected 1\.\.256 characters/, false],
  ['control char in society', bad({ society: 'a\nb' }), /\/society: .* does not match/, false],
  ['roles not an array', bad({ roles: {} }), /\/roles: expected an array/, false],
  ['role unknown key', bad({ roles: [{ role: 'r', actions: [], resourceLimits: {}, trustThreshold: 0.5, requiresWitness: false, maxAtpPerAction: 1, deniedActions: [] }] }), /\/roles\/0: unknown key "deniedActions"/, false],
  ['trust above 1', bad({ defaultRole: { actions: [], resourceLimits: {}, trustThreshold: 1.5, requiresWitness: false, maxAtpPerAction: 1 } }), /\/defaultRole\/trustThreshold: expected a number 0\.\.1/, false],
  ['negative max ATP', bad({ defaultRole: { actions: [], resourceLimits: {}, trustThreshold: 1, requiresWitness: false, maxAtpPerAction: -1 } }), /maxAtpPerAction: expected an integer/, false],
  ['fractional limit', bad({ defaultRole: { actions: [], resourceLimits: { storage: 1.5 }, trustThreshold: 1, requiresWitness: false, maxAtpPerAction: 1 } }), /resourceLimits\/storage: expected an integer/, false],
  ['bad resource name', bad({ defaultRole: { actions: [], resourceLimits: { 'a b': 1 }, trustThreshold: 1, requiresWitness: false, maxAtpPerAction: 1 } }), /resourceLimits: "a b" does not match/, false],
  ['action twice', bad({ defaultRole: { actions: ['read', 'read'], resourceLimits: {}, trustThreshold: 1, requiresWitness: 'no', maxAtpPerAction: 1 } }), /\/defaultRole\/actions: lists an action twice/, false],
  ['requiresWitness not boolean', bad({ defaultRole: { actions: [], resourceLimits: {}, trustThreshold: 1, requiresWitness: 'no', maxAtpPerAction: 1 } }), /requiresWitness: expected a boolean/, false],
  ['norm type DENY', withNorm({ id: 'D', type: 'DENY', when: 'true' }), /\/norms\/0\/type: expected "ALLOW", "LIMIT" or "REQUIRE"/, false],
  ['ALLOW without when', withNorm({ id: 'A', type: 'ALLOW' }), /\/norms\/0: missing key "when"/, false],
  ['ALLOW with condition', withNorm({ id: 'A', type: 'ALLOW', when: 'true', condition: 'true' }), /\/norms\/0: unknown key "condition"/, false],
  ['LIMIT without condition', withNorm({ id: 'L', type: 'LIMIT', when: 'true' }), /missing key "condition"/, false],
  ['REQUIRE with neither', withNorm({ id: 'R', type: 'REQUIRE', when: 'true' }), /a REQUIRE needs "witnesses" or "procedure"/, false],
  ['REQUIRE 0 witnesses', withNorm({ id: 'R', type: 'REQUIRE', when: 'true', witnesses: 0 }), /witnesses: expected an integer 1\.\.64/, false],
  ['REQUIRE 65 witnesses', withNorm({ id: 'R', type: 'REQUIRE', when: 'true', witnesses: 65 }), /witnesses: expected an integer 1\.\.64/, false],
  ['bad norm id', withNorm({ id: '-x', type: 'ALLOW', when: 'true' }), /\/norms\/0\/id: "-x" does not match/, false],
  ['empty reason', withNorm({ id: 'A', type: 'ALLOW', when: 'true', reason: '' }), /reason: expected 1\.\.1024 characters/, false],
  ['procedure without witnesses', bad({ procedures: [{ id: 'P', triggers: [] }] }), /\/procedures\/0: missing key "witnesses"/, false],
  ['procedure timeout 0', bad({ procedures: [{ id: 'P', triggers: [], witnesses: 0, timeoutSeconds: 0 }] }), /timeoutSeconds: expected an integer 1\.\./, false],
  ['trigger not a string', bad({ procedures: [{ id: 'P', triggers: [1], witnesses: 0 }] }), /\/procedures\/0\/triggers\/0: expected a condition string/, false],
  ['too many norms', bad({ norms: Array.from({ length: MAX_LAW_NORMS + 1 }, (_, i) => ({ id: `A${i}`, type: 'ALLOW', when: 'true' })) }), /\/norms: more than 512 items/, false],
  // Beyond the schema: the parser refuses, the schema accepts.
  ['condition syntax', withNorm({ id: 'BAD', type: 'ALLOW', when: 'action == "read" or eval(1)' }), /law document \/norms\/0\/when \(BAD\): condition: expected and, or or the end, found "\(" at position 24$/, true],
  ['unknown field', withNorm({ id: 'TYPO', type: 'LIMIT', condition: 'atp_cots <= 1000' }), /unknown field "atp_cots" .* at position 0$/, true],
  ['sub-field of a scalar', withNorm({ id: 'S', type: 'ALLOW', when: 'action.name == "x"' }), /field "action" has no sub-fields at position 0/, true],
  ['the first bad field is named', withNorm({ id: 'S', type: 'ALLOW', when: 'x == 1 or resource == 1' }), /unknown field "x" .* at position 0$/, true],
  ['resource without a name', withNorm({ id: 'S', type: 'ALLOW', when: 'resource == 1' }), /field "resource" needs a sub-field .* at position 0$/, true],
  ['resource too deep', withNorm({ id: 'S', type: 'ALLOW', when: 'resource.a.b == 1' }), /resource.<name> takes no further sub-fields at position 10/, true],
  ['duplicate norm id', bad({ norms: [{ id: 'A', type: 'ALLOW', when: 'true' }, { id: 'A', type: 'ALLOW', when: 'false' }] }), /\/norms\/1\/id: duplicate id "A" \(first at index 0\)/, true],
  ['duplicate role', bad({ roles: [1, 2].map(() => ({ role: 'r', actions: [], resourceLimits: {}, trustThreshold: 0.5, requiresWitness: false, maxAtpPerAction: 1 })) }), /\/roles\/1\/role: duplicate id "r"/, true],
  ['lone surrogate in a reason (as a value)', withNorm({ id: 'A', type: 'ALLOW', when: 'true', reason: 'x\ud800' }), /\/norms\/0\/reason: is not well-formed Unicode/, true],
  ['lone surrogate in a condition (as a value)', withNorm({ id: 'A', type: 'ALLOW', when: 'context.x == "\udc00"' }), /\/norms\/0\/when: is not well-formed Unicode/, true],
  ['unknown procedure', withNorm({ id: 'R', type: 'REQUIRE', when: 'true', procedure: 'NOPE' }), /\/norms\/0\/procedure: unknown procedure "NOPE"/, true],
];

describe('the schema and the parser agree', () => {
  for (const [name, doc, error, schema] of CASES) {
    it(`${name}: parser ${error === null ? 'accepts' : 'refuses'}, schema ${schema ? 'accepts' : 'refuses'}`, () => {
      expect(schemaOk(doc)).toBe(schema);
      if (error === null) expect(parseLawDocument(doc)).toBeTruthy();
      else expect(refusal(doc).message).toMatch(error);
    });
  }
});

describe('typed refusals', () => {
  it('shape errors are LawDocumentError with details.path', () => {
    const e = refusal(bad({ roles: 'x' }));
    expect(e).toBeInstanceOf(LawDocumentError);
    expect(e.code).toBe('ERR_AUTHZ_LAW');
    expect(e.status).toBe(400);
    expect(e.details).toEqual({ path: '/roles' });
  });

  it('a bad condition is ConditionSyntaxError carrying the norm id, the path and the position', () => {
    const e = refusal(bad({ procedures: [{ id: 'PROC-X', triggers: ['atp_cost > 1', "action=='delete'; import os"], witnesses: 1 }] }));
    expect(e).toBeInstanceOf(ConditionSyntaxError);
    expect(e.code).toBe('ERR_AUTHZ_CONDITION');
    expect(e.details).toEqual({ position: 16, norm: 'PROC-X', path: '/procedures/0/triggers/1' });
    expect(e.cause).toBeInstanceOf(ConditionSyntaxError);
  });

  it('text is read with parseStrict: duplicate keys, trailing data, oversize text', () => {
    const text = JSON.stringify(base());
    expect(parseLawDocument(text)).toEqual(defaultLawDocument('society:test'));
    expect(refusal(text.replace('{"schema"', '{"version":"x","schema"')).code).toBe('ERR_JSON_DUPLICATE_KEY');
    expect(refusal(`${text} x`).code).toBe('ERR_JSON_PARSE');
    expect(refusal(' '.repeat(MAX_LAW_DOCUMENT_CHARS + 1)).message).toMatch(/text longer than/);
  });

  it('accessors, holes and non-plain objects are refused without calling anything', () => {
    let called = false;
    const getter = Object.defineProperty(base(), 'norms', { get: () => { called = true; return []; }, enumerable: true });
    expect(refusal(getter).message).toMatch(/\/norms: is an accessor/);
    // eslint-disable-next-line no-sparse-arrays
    expect(refusal(bad({ norms: [, { id: 'A', type: 'ALLOW', when: 'true' }] })).message).toMatch(/\/norms\/0: is a hole/);
    expect(refusal(bad({ defaultRole: new Map() })).message).toMatch(/expected a plain object/);
    const norm = Object.defineProperty({ id: 'A', when: 'true' }, 'type', { get: () => { called = true; return 'ALLOW'; }, enumerable: true });
    expect(refusal(bad({ norms: [norm] })).message).toMatch(/\/norms\/0\/type: is an accessor/);
    expect(called).toBe(false);
  });

  it('a refused document leaves its input untouched', () => {
    const doc = bad({ norms: [{ id: 'A', type: 'ALLOW', when: 'true' }, { id: 'A', type: 'ALLOW', when: 'x' }] });
    const before = JSON.stringify(doc);
    refusal(doc);
    expect(JSON.stringify(doc)).toBe(before);
  });
});
