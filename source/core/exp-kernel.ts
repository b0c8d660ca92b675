/**
 * The column passes of a training step on WebAssembly, for wide rows:
 * exp(w - max) by exactly the operations of exp() in exp.ts and the update
 * (p, the weights, the first largest p, the new max) by exactly those of
 * trainStretch's loop, both two lanes at a time (SIMD); and the hot loop of
 * the column-order sum (repeated-sum.ts), which is serial. Same bits:
 * WebAssembly keeps IEEE rounding and has no fused multiply-add
 * (test/core/exp-kernel.test.ts and repeated-sum.test.ts check them). The exponentials are about 2.8 times as fast as the same
 * code in JavaScript, copy in included; the update and then the sum each made
 * a Brown epoch about 6-8% faster again.
 *
 * The module is source/wasm/exps.ts (AssemblyScript), compiled by
 * scripts/build-wasm.mjs into exps-wasm.ts. Where WebAssembly SIMD is
 * missing, createExpKernel returns undefined and the JavaScript loop does
 * the work, with the same results.
 */
import {POW2} from './exp.js';
import {POW2_J_HEAD, POW2_J_TAIL} from './exp-table.js';
import {EXPS_WASM_BASE64} from './exps-wasm.js';

/** Bytes the tables take at the start of the module's memory (see source/wasm/exps.ts). */
const TABLES_BYTES = 8192 + 8 * POW2.length;
const PAGE = 65536;

export interface ExpKernel {
	/** Holds exp(w - max) of the last `fill`, from index 0. */
	readonly output: Float64Array;
	/** The widest row `fill` takes. */
	readonly width: number;
	/**
	 * output[i] = exp(weights[start + i] - max), from i = 0 on; returns how
	 * many it wrote (it leaves edge arguments and an odd last one to the caller).
	 */
	fill(weights: Float64Array, cols: Int32Array, start: number, end: number, max: number): number;
	/**
	 * After `fill`, with `output` complete: columnOrderSum's hot loop over
	 * columns from..count of the row, from `state` = [total, next, unit, high];
	 * writes total and next back to `state` and returns where it stopped.
	 */
	sum(from: number, count: number): number;
	/** [total, next, unit, high] for `sum`. */
	readonly state: Float64Array;
	/**
	 * After `fill` of weights[start..end) and with `output` complete: the SGD
	 * step of that row as trainStretch takes it (p = output[i] / total,
	 * w -= lr * p, the target's weight set to newTarget), written back to
	 * weights[start..end). Returns the offset of the first largest p; the
	 * largest new weight is then in `max`.
	 */
	step(weights: Float64Array, start: number, end: number, total: number, lr: number, target: number, newTarget: number): number;
	/** The largest weight of the last `step`. */
	readonly max: number;
}

// The little of the WebAssembly API used here (@types/node 20 does not declare it).
interface WasmMemory {
	readonly buffer: ArrayBuffer;
	grow(pages: number): number;
}
interface WasmApi {
	validate(bytes: Uint8Array): boolean;
	Module: new (bytes: Uint8Array) => object;
	Instance: new (module: object, imports: object) => {readonly exports: Record<string, unknown>};
}
const wasm = (globalThis as {WebAssembly?: WasmApi}).WebAssembly;

let compiled: object | null | undefined;

function kernelModule(): object | undefined {
	if (compiled === undefined) {
		try {
			const bytes = Buffer.from(EXPS_WASM_BASE64, 'base64');
			compiled = wasm?.validate(bytes) ? new wasm.Module(bytes) : null;
		} catch {
			compiled = null;
		}
	}
	return compiled ?? undefined;
}

/** A kernel for rows of up to `width` columns, or undefined without WebAssembly SIMD. */
export function createExpKernel(width: number): ExpKernel | undefined {
	const module = kernelModule();
	if (!module) return undefined;
	const instance = new wasm!.Instance(module, {});
	const memory = instance.exports['memory'] as WasmMemory;
	const run = instance.exports['exps'] as (input: number, output: number, count: number, max: number) => number;
	const update = instance.exports['update'] as (
		weights: number,
		exps: number,
		count: number,
		total: number,
		lr: number,
		target: number,
		newTarget: number,
		result: number,
	) => number;
	const sum = instance.exports['sum'] as (cols: number, terms: number, from: number, count: number, state: number) => number;
	const resultAt = Math.ceil(TABLES_BYTES / 64) * 64;
	const stateAt = resultAt + 8;
	const colsAt = resultAt + 64;
	const inputAt = colsAt + Math.ceil((4 * Math.max(width, 1)) / 64) * 64;
	const outputAt = inputAt + Math.ceil((8 * Math.max(width, 1)) / 64) * 64;
	const needed = outputAt + 8 * Math.max(width, 1);
	const pages = memory.buffer.byteLength / PAGE;
	if (needed > memory.buffer.byteLength) memory.grow(Math.ceil(needed / PAGE) - pages);
	const buffer = memory.buffer;
	new Float64Array(buffer, 0, 512).set(POW2_J_HEAD);
	new Float64Array(buffer, 4096, 512).set(POW2_J_TAIL);
	new Float64Array(buffer, 8192, POW2.length).set(POW2);
	const input = new Float64Array(buffer, inputAt, width);
	const output = new Float64Array(buffer, outputAt, width);
	const result = new Float64Array(buffer, resultAt, 1);
	const state = new Float64Array(buffer, stateAt, 4);
	const colsCopy = new Int32Array(buffer, colsAt, width);
	new Int32Array(buffer, colsAt - 4, 1)[0] = -1; // column "-1": sum reads cols[i - 1] + 1 as next
	return {
		output,
		width,
		fill(weights, cols, start, end, max) {
			input.set(weights.subarray(start, end));
			colsCopy.set(cols.subarray(start, end));
			return run(inputAt, outputAt, end - start, max);
		},
		state,
		sum(from, count) {
			return sum(colsAt, outputAt, from, count, stateAt);
		},
		step(weights, start, end, total, lr, target, newTarget) {
			const best = update(inputAt, outputAt, end - start, total, lr, target, newTarget, resultAt);
			weights.set(input.subarray(0, end - start), start);
			return best;
		},
		get max() {
			return result[0]!;
		},
	};
}
