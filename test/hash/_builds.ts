// The WASM builds the hash tests run on: debug and release, each scalar and (when this runtime
// validates SIMD) SIMD — each a fresh instance with its own memory — plus the noble fallback.

import { simdSupported } from '../../src/wasm/features.js';
import { _loadBuild, type WasmBuild } from '../../src/wasm/_instance.js';
import { engineFor, type KeccakEngine } from '../../src/hash/_engine.js';

/** One engine under test and its label. */
export interface EngineCase {
  readonly label: string;
  readonly engine: KeccakEngine;
}

/** WASM engines for every build × SIMD flavour available here. */
export function wasmEngines(): EngineCase[] {
  const out: EngineCase[] = [];
  for (const build of ['debug', 'release'] as WasmBuild[]) {
    for (const simd of simdSupported() ? [false, true] : [false]) {
      out.push({ label: `${build}${simd ? '-simd' : ''}`, engine: engineFor(_loadBuild(build, { simd })) });
    }
  }
  return out;
}

/** WASM engines plus the noble fallback. */
export function allEngines(): EngineCase[] {
  return [...wasmEngines(), { label: 'noble', engine: engineFor(null) }];
}
