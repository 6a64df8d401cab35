// The MPC program toolchain in one import: the DSL compiler (QuorumVM quorumvm/compiler/
// dsl_parser.py), the IR and its JSON form (ir.py), program packages (package.py), the optimizer
// (optimizer.py, corrected), the plain-value evaluator and the static analyses. Re-exports only.
// Browser-safe.

/** The DSL compiler and its limit. */
export { compileDsl, MAX_DSL_SOURCE_LENGTH } from './dsl/compile.js';
/** The DSL compile errors (each `ERR_DSL_…`, 400, with `line` and `column`). */
export {
  DslCompileError, DslDuplicateIdentifierError, DslUndefinedIdentifierError, DslUnknownKeywordError,
  DslIncompleteStatementError, DslNoOutputError, DslDuplicateOutputError, DslBadArgumentsError,
  DslInvalidIntegerError, DslMissingEqualsError, DslExtraTokenError, DslInvalidIdentifierError, DslLimitError,
} from './dsl/errors.js';
export type { DslErrorCode } from './dsl/errors.js';
/** IR types, limits and small predicates. */
export {
  NODE_ARITY, NODE_TYPES, MAX_IR_NODES, MAX_IDENTIFIER_LENGTH, MAX_INTEGER_DIGITS, IDENTIFIER_PATTERN,
  isIdentifier, isOpType, isParameterType,
} from './ir.js';
export type { Ir, IrNode, NodeType, OpType } from './ir.js';
/** The IR's JSON form (QuorumVM's `IR.to_dict()`). */
export { irToJson, parseIr, parseIrAt } from './ir-json.js';
export type { IrJson, IrNodeJson, IrJsonPath } from './ir-json.js';
/** Program packages and their content-addressed ids. */
export {
  buildPackage, parsePackage, packageToJson, programId, canonicalProgramJson, secretIds,
  DEFAULT_POLICY, DEFAULT_SECRET_NAME, MAX_PACKAGE_STRING_LENGTH,
} from './package.js';
export type { BuildPackageOptions, PolicyManifest, ProgramPackage, ProgramPackageJson, SecretManifest } from './package.js';
/** Errors of IR and package documents. */
export { InvalidIrError, InvalidPackageError, ProgramIdMismatchError } from './program-errors.js';
export type { ProgramErrorCode } from './program-errors.js';
/** The optimizer. */
export { eliminateCommonSubexpressions, pruneDeadNodes, optimizeIr } from './optimize.js';
/** The reference evaluator on plain values. */
export { evaluatePlain } from './evaluate.js';
/** Static analyses: degrees, extraction bound, secure multiplications. */
export {
  outputDegrees, extractionBound, monomialCount, multiplicativeDepth, countSecureMuls, EXTRACTION_BOUND_CAP,
} from './analysis.js';
