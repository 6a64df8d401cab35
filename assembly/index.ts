// Entry of quorumkit.wasm: every kernel module re-exports from here (one module, several kernels).
// Boundary rules (STYLE.md "The WASM boundary"): only numbers and pointers cross; status is an i32;
// the TS loader owns scratch memory above scratchBase(). Later kernels: field127.ts, keccak.ts, ...
// asc compiles (and type-checks) only code reachable from these exports: export every new kernel here.

export { ctEqual } from './ct-equal';
export { scratchBase } from './scratch';
export {
  f127Add, f127Sub, f127Neg, f127Mul, f127Square, f127Inv, f127Pow, f127CountNonCanonical,
} from './field127';
export {
  f127AddBatch, f127SubBatch, f127MulBatch, f127ScaleBatch, f127DotBatch, f127EvalPoints, f127EvalPolys, f127InvBatch,
} from './field-batch';
export { shamirSplitBatch, lagrangeAtBatch, shamirCombineBatch, shamirCombinePacked } from './shamir';
export {
  keccakStateBytes,
  keccakX2StateBytes,
  keccakInit,
  keccakUpdate,
  keccakPad,
  keccakSqueeze,
  keccakHash,
  keccakHashMany,
  keccakTreeLeaves,
} from './keccak';
