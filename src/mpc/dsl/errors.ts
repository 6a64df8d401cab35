// Typed errors of the MPC DSL compiler: one class per failure of QuorumVM's
// quorumvm/compiler/dsl_parser.py (DSLCompileError, its IndexError "incomplete statement" and
// int()'s ValueError), plus quorumkit's own checks (missing `=`, extra tokens, identifier syntax,
// size limits). Every one answers HTTP 400 and carries the 1-based `line` and `column` of the
// offending token in `details` and in its message: `line 3, column 9: undefined identifier 'q'`.
// Messages quote program text only (identifiers, keywords, literals — public parts of a program),
// shortened, never a secret value. Browser-safe.

import { QuorumkitError, type QuorumkitErrorOptions } from '../../core/errors.js';

/** The codes of this module's classes. Stable: new codes may be added, none renamed. */
export type DslErrorCode =
  | 'ERR_DSL_COMPILE'
  | 'ERR_DSL_DUPLICATE_IDENTIFIER'
  | 'ERR_DSL_UNDEFINED_IDENTIFIER'
  | 'ERR_DSL_UNKNOWN_KEYWORD'
  | 'ERR_DSL_INCOMPLETE_STATEMENT'
  | 'ERR_DSL_NO_OUTPUT'
  | 'ERR_DSL_DUPLICATE_OUTPUT'
  | 'ERR_DSL_BAD_ARGUMENTS'
  | 'ERR_DSL_INVALID_INTEGER'
  | 'ERR_DSL_MISSING_EQUALS'
  | 'ERR_DSL_EXTRA_TOKEN'
  | 'ERR_DSL_INVALID_IDENTIFIER'
  | 'ERR_DSL_LIMIT';

/**
 * The base of every DSL compile error (`ERR_DSL_COMPILE`, 400): `line` and `column` (1-based;
 * the column counts UTF-16 code units of the raw line) locate the offending token.
 * @example
 * try { compileDsl(src); } catch (e) { if (e instanceof DslCompileError) console.log(e.line, e.column, e.code); }
 */
export class DslCompileError extends QuorumkitError {
  static override readonly code: string = 'ERR_DSL_COMPILE';
  static override readonly status: number = 400;
  /** 1-based line of the offending token. */
  readonly line: number;
  /** 1-based column of the offending token. */
  readonly column: number;
  /** `what` is the message without its position; the position is prefixed as `line L, column C: `. */
  constructor(what: string, line: number, column: number, options?: Omit<QuorumkitErrorOptions, 'details'>) {
    super(`line ${line}, column ${column}: ${what}`, { ...options, details: { line, column } });
    this.line = line;
    this.column = column;
  }
}

/** A name is defined twice, by the program or by a macro's synthesized names (`ERR_DSL_DUPLICATE_IDENTIFIER`). */
export class DslDuplicateIdentifierError extends DslCompileError {
  static override readonly code: string = 'ERR_DSL_DUPLICATE_IDENTIFIER';
}

/** A statement reads a name not defined on an earlier line (`ERR_DSL_UNDEFINED_IDENTIFIER`). */
export class DslUndefinedIdentifierError extends DslCompileError {
  static override readonly code: string = 'ERR_DSL_UNDEFINED_IDENTIFIER';
}

/** A line starts with a word that is not a statement keyword (`ERR_DSL_UNKNOWN_KEYWORD`). */
export class DslUnknownKeywordError extends DslCompileError {
  static override readonly code: string = 'ERR_DSL_UNKNOWN_KEYWORD';
}

/** A statement ends before all its tokens (`ERR_DSL_INCOMPLETE_STATEMENT`); the column is just past the line's last token. */
export class DslIncompleteStatementError extends DslCompileError {
  static override readonly code: string = 'ERR_DSL_INCOMPLETE_STATEMENT';
}

/** The program has no `output` statement (`ERR_DSL_NO_OUTPUT`); the position is the end of the source. */
export class DslNoOutputError extends DslCompileError {
  static override readonly code: string = 'ERR_DSL_NO_OUTPUT';
}

/** A name is declared an output twice (`ERR_DSL_DUPLICATE_OUTPUT`). */
export class DslDuplicateOutputError extends DslCompileError {
  static override readonly code: string = 'ERR_DSL_DUPLICATE_OUTPUT';
}

/** A macro has the wrong number of arguments: `dot` an odd number or none, `polyeval` fewer than 2 (`ERR_DSL_BAD_ARGUMENTS`). */
export class DslBadArgumentsError extends DslCompileError {
  static override readonly code: string = 'ERR_DSL_BAD_ARGUMENTS';
}

/** A `const` value is not a decimal integer literal (`ERR_DSL_INVALID_INTEGER`). */
export class DslInvalidIntegerError extends DslCompileError {
  static override readonly code: string = 'ERR_DSL_INVALID_INTEGER';
}

/** A definition lacks its `=` after the name (`ERR_DSL_MISSING_EQUALS`; QuorumVM skips that token unread). */
export class DslMissingEqualsError extends DslCompileError {
  static override readonly code: string = 'ERR_DSL_MISSING_EQUALS';
}

/** A statement has tokens past its last argument (`ERR_DSL_EXTRA_TOKEN`; QuorumVM ignores them), e.g. a trailing `# comment`. */
export class DslExtraTokenError extends DslCompileError {
  static override readonly code: string = 'ERR_DSL_EXTRA_TOKEN';
}

/** A defined name is not an identifier (`[A-Za-z_][A-Za-z0-9_]*`) (`ERR_DSL_INVALID_IDENTIFIER`). */
export class DslInvalidIdentifierError extends DslCompileError {
  static override readonly code: string = 'ERR_DSL_INVALID_IDENTIFIER';
}

/** A size limit is exceeded: source length, node count, identifier length or literal digits (`ERR_DSL_LIMIT`). */
export class DslLimitError extends DslCompileError {
  static override readonly code: string = 'ERR_DSL_LIMIT';
}

/** `s` quoted for a message: single quotes around its first 40 characters (then …), control and quote characters JSON-escaped. */
export function quoteToken(s: string): string {
  const cut = s.length > 40 ? `${s.slice(0, 40).replace(/[\ud800-\udbff]$/, '')}…` : s;
  return `'${JSON.stringify(cut).slice(1, -1)}'`;
}
