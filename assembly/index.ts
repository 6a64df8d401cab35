// Entry of quorumkit.wasm: every kernel module re-exports from here (one module, several kernels).
// Boundary rules (STYLE.md "The WASM boundary"): only numbers and pointers cross; status is an i32;
// the TS loader owns scratch memory above scratchBase(). Later kernels: field127.ts, keccak.ts, ...
// asc compiles (and type-checks) only code reachable from these exports: export every new kernel here.

export { ctEqual } from './ct-equal';
export { scratchBase } from './scratch';
