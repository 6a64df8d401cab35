// Tokens of the condition language (condition/parser.ts has the grammar): numbers (JSON's number
// syntax: an optional minus directly before the digits, a fraction, an exponent), strings in double or
// single quotes (escapes: \\ and the quote; no others), identifiers ([A-Za-z_][A-Za-z0-9_]*), the
// comparison operators == != < <= > >=, parentheses and the path dot. `and`, `or`, `not`, `true`,
// `false` are keywords. Anything else is a ConditionSyntaxError naming the character offset.
// Browser-safe.

import { ConditionSyntaxError } from '../errors.js';

/** One token: its kind, text (the value for strings and numbers) and 0-based start offset. */
export type ConditionToken =
  | { readonly kind: 'number'; readonly value: number; readonly pos: number }
  | { readonly kind: 'string'; readonly value: string; readonly pos: number }
  | { readonly kind: 'ident'; readonly value: string; readonly pos: number }
  | { readonly kind: 'keyword'; readonly value: 'and' | 'or' | 'not' | 'true' | 'false'; readonly pos: number }
  | { readonly kind: 'op'; readonly value: '==' | '!=' | '<' | '<=' | '>' | '>='; readonly pos: number }
  | { readonly kind: 'punct'; readonly value: '(' | ')' | '.'; readonly pos: number }
  | { readonly kind: 'end'; readonly pos: number };

/** The longest condition text accepted (characters). */
export const MAX_CONDITION_CHARS = 4096;
/** The most tokens a condition may have. */
export const MAX_CONDITION_TOKENS = 512;

const KEYWORDS = new Set(['and', 'or', 'not', 'true', 'false']);
const NUMBER = /(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;

/** A typed syntax error at `pos`. */
export function syntaxError(message: string, pos: number): ConditionSyntaxError {
  return new ConditionSyntaxError(`condition: ${message} at position ${pos}`, { details: { position: pos } });
}

/**
 * Splits `text` into tokens, ending with an `end` token.
 * @throws ConditionSyntaxError for a character outside the language, an unterminated string, a
 *   number that is not finite, or text over {@link MAX_CONDITION_CHARS} / {@link MAX_CONDITION_TOKENS}.
 */
export function tokenize(text: string): ConditionToken[] {
  if (typeof text !== 'string') throw new TypeError(`condition expected string, got ${text === null ? 'null' : typeof text}`);
  if (text.length > MAX_CONDITION_CHARS) throw syntaxError(`longer than ${MAX_CONDITION_CHARS} characters`, MAX_CONDITION_CHARS);
  const out: ConditionToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (out.length >= MAX_CONDITION_TOKENS) throw syntaxError(`more than ${MAX_CONDITION_TOKENS} tokens`, i);
    const start = i;
    const negative = c === '-' && i + 1 < text.length && text[i + 1]! >= '0' && text[i + 1]! <= '9';
    if ((c >= '0' && c <= '9') || negative) {
      NUMBER.lastIndex = negative ? i + 1 : i;
      const m = NUMBER.exec(text)!;
      const value = (negative ? -1 : 1) * Number(m[0]);
      if (!Number.isFinite(value)) throw syntaxError('number out of range', start);
      i = NUMBER.lastIndex;
      if (i < text.length && /[A-Za-z0-9_.]/.test(text[i]!)) throw syntaxError('malformed number', start);
      out.push({ kind: 'number', value, pos: start });
    } else if (c === '"' || c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw syntaxError('unterminated string', start);
        const d = text[i]!;
        if (d === c) break;
        if (d === '\\') {
          const e = text[i + 1];
          if (e !== '\\' && e !== c) throw syntaxError('unknown escape in string (only \\\\ and the quote)', i);
          value += e;
          i += 2;
        } else {
          value += d;
          i++;
        }
      }
      i++;
      out.push({ kind: 'string', value, pos: start });
    } else if (/[A-Za-z_]/.test(c)) {
      IDENT.lastIndex = i;
      const word = IDENT.exec(text)![0];
      i += word.length;
      out.push(KEYWORDS.has(word) ? { kind: 'keyword', value: word as 'and', pos: start } : { kind: 'ident', value: word, pos: start });
    } else if (c === '=' || c === '!' || c === '<' || c === '>') {
      const two = text.slice(i, i + 2);
      if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
        out.push({ kind: 'op', value: two, pos: start });
        i += 2;
      } else if (c === '<' || c === '>') {
        out.push({ kind: 'op', value: c, pos: start });
        i++;
      } else {
        throw syntaxError(`unexpected ${JSON.stringify(c)} (comparisons are == != < <= > >=)`, start);
      }
    } else if (c === '(' || c === ')' || c === '.') {
      out.push({ kind: 'punct', value: c, pos: start });
      i++;
    } else {
      throw syntaxError(`unexpected character ${JSON.stringify(c)}`, start);
    }
  }
  out.push({ kind: 'end', pos: text.length });
  return out;
}
