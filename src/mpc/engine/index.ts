// quorumkit MPC share engine: circuit planning, the custodian's batch execution, the coordinator's
// checked openings, the Beaver triple dealer and proactive resharing. Re-exports only.

export { planCircuit, MAX_PLAN_OUTPUTS } from './plan.js';
export type { CircuitPlan, PlanLayer } from './plan.js';
export { ShareExecution, MAX_BATCH, MAX_EXECUTION_ELEMENTS } from './execute.js';
export type { ShareExecutionOptions, TripleShareBuffers, Step, OpenStep, DoneStep } from './execute.js';
export { openShares, openSharesOrThrow } from './openings.js';
export type { OpenResponse, OpenResult, OpenSuccess, OpenFailure } from './openings.js';
export { dealTriples } from './triples.js';
export type { TripleShares, DealOptions } from './triples.js';
export { zeroSubShares, applySubShares, lagrangePartial } from './resharing.js';
export { MpcIrInvalidError, MpcExecutionStateError, MpcOpeningInconsistentError } from './errors.js';
export type { MpcEngineErrorCode } from './errors.js';
