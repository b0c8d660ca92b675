/**
 * The column passes of a training step on WebAssembly, for wide rows, two
 * lanes at a time (SIMD): exp(w - max) by exactly the operations of exp() in
 * exp.ts; their sum as the double-double exact-sum.ts finishes; and the
 * update (p, the weights, the first largest p, the new max) by exactly the
 * operations of trainStretch's loop. Same bits: WebAssembly keeps IEEE
 * rounding and has no fused multiply-add (test/numerics/exp-kernel.test.ts
 * checks them). The exponentials are about 2.8 times as fast as the same
 * code in JavaScript, copy in included; the update made a Brown epoch about
 * 6-8% faster again.
 *
 * The module is source/numerics/wasm/exps.ts (AssemblyScript), compiled by
 * scripts/build-wasm.mjs into exps-wasm.ts. Where WebAssembly SIMD is
 * missing, createExpKernel returns undefined and the JavaScript loop does
 * the work, with the same results.
 */
import {C3, C4, ROUND} from './exp.js';
import {LN2_OVER_N_HIGH, LN2_OVER_N_LOW, N_OVER_LN2, POW2_J_HEAD, POW2_J_TAIL} from './exp-table.js';
import {EXPS_WASM_BASE64} from './exps-wasm.js';

/** The kernel's constants, in the order source/numerics/wasm/exps.ts reads them at byte 8192. */
const CONSTANTS = Float64Array.of(
	N_OVER_LN2,
	ROUND,
	LN2_OVER_N_HIGH,
	LN2_OVER_N_LOW,
	C4,
	C3,
	0.5,
	1,
	708,
);
/** Then these, as 64-bit integers: the exponent bias 1023 << 52, and 2. */
const INTEGER_CONSTANTS = BigInt64Array.of(1023n << 52n, 2n);
/** Bytes the tables take at the start of the module's memory (see source/numerics/wasm/exps.ts). */
const TABLES_BYTES = 8192 + 8 * (CONSTANTS.length + INTEGER_CONSTANTS.length);
const PAGE = 65536;
/** Scratch slots an arena holds: one for each training thread. */
export const ARENA_SLOTS = 8;

const align = (bytes: number) => Math.ceil(bytes / 64) * 64;

export interface ExpKernel {
	/** Holds exp(w - max) of the last `fill`, from index 0. */
	readonly output: Float64Array;
	/** The widest row `fill` takes. */
	readonly width: number;
	/**
	 * output[i] = exp(weights[start + i] - max), from i = 0 on; returns how
	 * many it wrote: all but an odd last one, or none when some argument is
	 * an edge for exp() (|x| >= 708 or NaN), and the caller does the rest.
	 */
	fill(weights: Float64Array, start: number, end: number, max: number): number;
	/**
	 * output[0..count) (all >= 0) added as a double-double for finishSum
	 * (exact-sum.ts), into `total`: [hi, lo].
	 */
	sum(count: number): void;
	/** [hi, lo] of the last `sum`. */
	readonly total: Float64Array;
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
export interface WasmMemory {
	readonly buffer: ArrayBufferLike;
}
interface WasmApi {
	Memory: new (descriptor: {initial: number; maximum: number; shared: boolean}) => WasmMemory;
	Module: new (bytes: Uint8Array) => object;
	Instance: new (module: object, imports: object) => {readonly exports: Record<string, unknown>};
}
const wasm = (globalThis as {WebAssembly?: WasmApi}).WebAssembly;

let compiled: object | null | undefined;

function kernelModule(): object | undefined {
	if (compiled === undefined) {
		try {
			const bytes = Buffer.from(EXPS_WASM_BASE64, 'base64');
			// Compiling checks the module too: without SIMD it throws.
			compiled = wasm ? new wasm.Module(bytes) : null;
		} catch {
			compiled = null;
		}
	}
	return compiled ?? undefined;
}

/**
 * One WebAssembly memory, shared between threads, holding the kernel's
 * tables, a scratch slot for each thread and a model's explicit weights, so
 * the kernel reads and writes the model in place.
 */
export interface TrainingArena {
	readonly memory: WasmMemory;
	/** The widest row a slot takes. */
	readonly width: number;
	/** Explicit weights the model holds. */
	readonly count: number;
	readonly weights: Float64Array;
}

/** Byte offsets of an arena's parts: the same in every thread for the same width and count. */
function layout(width: number, count: number) {
	const w = Math.max(width, 1);
	// A slot: results, then weights copied in (for rows that live
	// elsewhere), then the exponentials.
	const slotBytes = 64 + align(8 * w) + align(8 * w);
	const slotsAt = align(TABLES_BYTES);
	const weightsAt = slotsAt + ARENA_SLOTS * slotBytes;
	return {slotBytes, slotsAt, weightsAt, end: weightsAt + 8 * count};
}

const arenas = new WeakMap<ArrayBufferLike, TrainingArena>();

function register(arena: TrainingArena): TrainingArena {
	arenas.set(arena.memory.buffer, arena);
	return arena;
}

/**
 * An arena for a model of `count` explicit weights whose rows have at most
 * `width` columns, or undefined without WebAssembly SIMD (or when the model
 * is too large for a 32-bit memory).
 */
export function createArena(width: number, count: number): TrainingArena | undefined {
	const {end} = layout(width, count);
	const memory = kernelMemory(end);
	return memory && arenaOn(memory, width, count);
}

/**
 * A shared WebAssembly memory of at least `bytes` bytes with the kernel's
 * tables and constants at its start, or undefined without WebAssembly SIMD
 * (or above a 32-bit memory).
 */
export function kernelMemory(bytes: number): WasmMemory | undefined {
	if (!kernelModule()) return undefined;
	const pages = Math.ceil(Math.max(bytes, TABLES_BYTES) / PAGE);
	if (pages > 65536) return undefined;
	let memory: WasmMemory;
	try {
		memory = new wasm!.Memory({initial: pages, maximum: pages, shared: true});
	} catch {
		return undefined;
	}
	new Float64Array(memory.buffer, 0, 512).set(POW2_J_HEAD);
	new Float64Array(memory.buffer, 4096, 512).set(POW2_J_TAIL);
	new Float64Array(memory.buffer, 8192, CONSTANTS.length).set(CONSTANTS);
	new BigInt64Array(memory.buffer, 8192 + 8 * CONSTANTS.length, INTEGER_CONSTANTS.length).set(INTEGER_CONSTANTS);
	return memory;
}

/** The kernel's functions, working on `memory` (made by kernelMemory). */
export function kernelExports(memory: WasmMemory): Record<string, unknown> {
	return new wasm!.Instance(kernelModule()!, {env: {memory}}).exports;
}

/** Where, in a memory made by kernelMemory, its callers' own data may start. */
export const KERNEL_DATA_AT = align(TABLES_BYTES);

/** The arena another thread made, from its memory, width and count. */
export function arenaOn(memory: WasmMemory, width: number, count: number): TrainingArena {
	const {weightsAt} = layout(width, count);
	return register({
		memory,
		width,
		count,
		weights: new Float64Array(memory.buffer, weightsAt, count),
	});
}

/** The arena `weights` lives in, if any. */
export function arenaOf(weights: Float64Array): TrainingArena | undefined {
	return arenas.get(weights.buffer);
}

/** A kernel for rows of up to `width` columns, with an arena of its own, or undefined without WebAssembly SIMD. */
export function createExpKernel(width: number): ExpKernel | undefined {
	const arena = createArena(width, 0);
	return arena && kernelOn(arena, 0);
}

/** The kernel working in slot `slot` of an arena (one slot a thread). */
export function kernelOn(arena: TrainingArena, slot: number): ExpKernel {
	const {memory, width} = arena;
	const exports = kernelExports(memory);
	const run = exports['exps'] as (input: number, output: number, count: number, max: number) => number;
	const update = exports['update'] as (
		weights: number,
		exps: number,
		count: number,
		total: number,
		lr: number,
		target: number,
		newTarget: number,
		result: number,
	) => number;
	const sum = exports['sum'] as (terms: number, count: number, result: number) => void;
	const {slotBytes, slotsAt} = layout(width, arena.count);
	const w = Math.max(width, 1);
	const resultAt = slotsAt + slot * slotBytes;
	const totalAt = resultAt + 16;
	const inputAt = resultAt + 64;
	const outputAt = inputAt + align(8 * w);
	const buffer = memory.buffer;
	const input = new Float64Array(buffer, inputAt, width);
	const output = new Float64Array(buffer, outputAt, width);
	const result = new Float64Array(buffer, resultAt, 1);
	const total = new Float64Array(buffer, totalAt, 2);
	// Where the row of the last fill is: in place in the arena, or copied in.
	let weightsAt = inputAt;
	return {
		output,
		width,
		fill(weights, start, end, max) {
			if (weights.buffer === buffer) {
				weightsAt = weights.byteOffset + 8 * start;
			} else {
				input.set(weights.subarray(start, end));
				weightsAt = inputAt;
			}
			return run(weightsAt, outputAt, end - start, max);
		},
		total,
		sum(count) {
			sum(outputAt, count, totalAt);
		},
		step(weights, start, end, total, lr, target, newTarget) {
			const best = update(weightsAt, outputAt, end - start, total, lr, target, newTarget, resultAt);
			if (weightsAt === inputAt) weights.set(input.subarray(0, end - start), start);
			return best;
		},
		get max() {
			return result[0]!;
		},
	};
}
