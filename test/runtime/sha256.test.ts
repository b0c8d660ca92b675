/**
 * The corpus fingerprint: SHA-256 computed here for small inputs must equal
 * node:crypto's for every length around the block and padding boundaries,
 * and for the standard test vectors.
 */
import {createHash} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {sha256Hex, sha256HexHere, SMALL_INPUT_BYTES} from '../../source/runtime/sha256.js';

const reference = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('sha256', () => {
	it('gives the FIPS 180-4 test vectors', () => {
		expect(sha256HexHere(Buffer.from(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
		expect(sha256HexHere(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
		expect(sha256HexHere(Buffer.from('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
			'248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
		);
	});

	it("equals node:crypto's for every length from 0 to 300 bytes and around the size where it hands over", () => {
		let x = 12345;
		const random = (n: number) =>
			Uint8Array.from({length: n}, () => {
				x = (Math.imul(x, 1103515245) + 12345) >>> 0;
				return x >>> 24;
			});
		const lengths = [...Array.from({length: 301}, (_, i) => i), 1000, 4095, 4096, SMALL_INPUT_BYTES - 1, SMALL_INPUT_BYTES, SMALL_INPUT_BYTES + 1, 100_000];
		for (const n of lengths) {
			const bytes = random(n);
			expect(sha256HexHere(bytes), `${n} bytes`).toBe(reference(bytes));
			expect(sha256Hex(bytes), `${n} bytes`).toBe(reference(bytes));
		}
	});

	it('hashes a subarray by its own bytes only', () => {
		const whole = Buffer.from('xxthe cat sat on the matyy');
		const part = whole.subarray(2, whole.length - 2);
		expect(sha256HexHere(part)).toBe(reference(Buffer.from('the cat sat on the mat')));
	});
});
