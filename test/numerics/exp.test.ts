import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {exp} from '../../source/numerics/exp.js';

// Arguments and exp correctly rounded, from 60-digit arithmetic (scripts/exp-table.py --reference).
const reference = (JSON.parse(readFileSync(new URL('exp-reference.json', import.meta.url), 'utf8')) as Array<[string, string]>).map(
	([x, y]) => [Number(x), Number(y)] as const,
);

const bits = new Float64Array(1);
const words = new BigInt64Array(bits.buffer);
/** Distance in units in the last place between two finite doubles of one sign. */
function ulps(a: number, b: number): number {
	bits[0] = a;
	const x = words[0]!;
	bits[0] = b;
	return Math.abs(Number(x - words[0]!));
}

describe('exp', () => {
	it('is within 1 ulp of the true value everywhere, and correctly rounded for more than 99.5% of arguments', () => {
		let exact = 0;
		for (const [x, want] of reference) {
			const got = exp(x);
			const off = ulps(got, want);
			if (off > 1) expect.fail(`exp(${x}) = ${got}, correctly rounded ${want}: ${off} ulps`);
			if (off === 0) exact++;
		}
		expect(reference.length).toBeGreaterThan(2000);
		expect(exact / reference.length).toBeGreaterThan(0.995);
	});

	it('is more often correctly rounded than Math.exp on the same arguments', () => {
		const exactOf = (f: (x: number) => number) => reference.filter(([x, want]) => f(x) === want).length;
		expect(exactOf(exp)).toBeGreaterThan(exactOf(Math.exp));
	});

	it('gives the exact values at the ends of its range', () => {
		expect(exp(0)).toBe(1);
		expect(exp(-0)).toBe(1);
		expect(exp(-Infinity)).toBe(0);
		expect(exp(-746)).toBe(0);
		expect(exp(Infinity)).toBe(Infinity);
		expect(exp(709.8)).toBe(Infinity);
		expect(exp(NaN)).toBeNaN();
		expect(exp(-745.1)).toBe(5e-324);
	});

	it('never decreases as its argument grows (checked over the range softmax uses)', () => {
		let previous = 0;
		for (let x = -60; x <= 0; x += 0.0003) {
			const y = exp(x);
			if (y < previous) expect.fail(`exp(${x}) = ${y} < ${previous}`);
			previous = y;
		}
	});
});
