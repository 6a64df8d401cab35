// `governance propose --param key=value`: JSON-looking values go through parseStrict (exact escaped
// keys, duplicate keys and non-I-JSON numbers kept as the literal string), other values stay
// strings, and a "__proto__" key is an own member, never the object's prototype.
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../src/core/canonical-json.js';
import { parseParams } from '../../src/cli/commands/_params.js';
import { CliExit } from '../../src/cli/errors.js';

describe('parseParams', () => {
  it('parses JSON-looking values strictly and keeps everything else as a string', () => {
    expect(parseParams(['env=prod', 'qps=50', 'on=true', 'none=null', 'list=[1,"a"]', 'obj={"a":{"b":1}}', 'float=1.5'])).toEqual({
      env: 'prod', qps: 50, on: true, none: null, list: [1, 'a'], obj: { a: { b: 1 } }, float: 1.5,
    });
    expect(parseParams(['dup={"a":1,"a":2}', 'big=1' + '0'.repeat(400), 'lead=01', 'half={"a":'])).toEqual({
      dup: '{"a":1,"a":2}', big: '1' + '0'.repeat(400), lead: '01', half: '{"a":',
    });
  });

  it('reads escaped one-character keys exactly, even after JSON.parse was put in its V8 bug state', () => {
    JSON.parse(String.raw`{"!":0,"\\":0}`);
    const p = parseParams([String.raw`rule={"!":1,"\"":"deny"}`]);
    expect(Object.keys(p.rule as object)).toEqual(['!', '"']);
  });

  it('keeps "__proto__" as an own key that canonicalize signs, never as the prototype', () => {
    const p = parseParams(['__proto__={"admin":true}', 'x=1']);
    expect(Object.getPrototypeOf(p)).toBe(Object.prototype);
    expect(Object.keys(p)).toEqual(['__proto__', 'x']);
    expect(canonicalize(p)).toBe('{"__proto__":{"admin":true},"x":1}');
    expect(parseParams(['__proto__=plain']).__proto__).toBe('plain');
  });

  it('refuses an item without key= and a key given twice (exit 2)', () => {
    for (const items of [['novalue'], ['=x'], ['a=1', 'a=2']]) {
      expect(() => parseParams(items)).toThrow(CliExit);
    }
  });
});
