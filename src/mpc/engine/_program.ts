// The execution program behind a CircuitPlan (internal): straight-line instructions on registers of
// B packed shares, grouped by Beaver layer. Kept apart from the public plan object so a plan can only
// come from planCircuit (the WeakMap doubles as its brand) and its layout can change freely.

/** A linear instruction: computed locally on this custodian's shares, no communication. */
export type Instr =
  /** dst ← the caller's shares of input `id` (copied: caller buffers are never written). */
  | { readonly op: 'input'; readonly dst: number; readonly id: string }
  /** dst ← this custodian's share of secret `id`, broadcast over the batch. */
  | { readonly op: 'secret'; readonly dst: number; readonly id: string }
  /** dst ← a + b, a − b on shares (Shamir shares are linear). */
  | { readonly op: 'add' | 'sub'; readonly dst: number; readonly a: number; readonly b: number }
  /** dst ← a + c for a public c: shares of the constant c are c at every x, so every custodian adds c. */
  | { readonly op: 'addc'; readonly dst: number; readonly a: number; readonly c: bigint }
  /** dst ← c − a for a public c. */
  | { readonly op: 'csub'; readonly dst: number; readonly a: number; readonly c: bigint }
  /** dst ← c·a for a public c (negation is c = p − 1): no triple needed. */
  | { readonly op: 'scale'; readonly dst: number; readonly a: number; readonly c: bigint };

/** One Beaver layer: its multiplications (operand and result registers) and the linear code that follows. */
export interface LayerProgram {
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  readonly dsts: readonly number[];
  /** Linear instructions that need this layer's products and no later one. */
  readonly after: readonly Instr[];
}

/** Where an output's value is: a public constant, or a register of shares. */
export type OutputSlot = { readonly pub: true; readonly value: bigint } | { readonly pub: false; readonly reg: number };

/** The whole program of a plan. */
export interface Program {
  /** Linear instructions that need no product. */
  readonly before: readonly Instr[];
  readonly layers: readonly LayerProgram[];
  /** Registers (B-element buffers) live at once, at most. */
  readonly registers: number;
  readonly outputs: readonly OutputSlot[];
  /** Multiplications in the widest layer. */
  readonly maxLayerSize: number;
}

/** Programs by plan object; only planCircuit writes here. */
export const PROGRAMS: WeakMap<object, Program> = new WeakMap();
