/**
 * Number and JSON formatting exactly as the Python pipeline prints them, so the
 * files we write match its files byte for byte.
 */

/**
 * Python's `'%.{digits}f' % x`. JavaScript's `toFixed` rounds the exact binary
 * value like Python does except in one case: when that value lies exactly
 * halfway between two outputs (0.001953125 = 1/512 at 8 decimals, say),
 * `toFixed` rounds away from zero and Python to the even last digit. It also
 * drops the sign of -0, which Python keeps. `digits` runs 0..100, as for `toFixed`.
 */
export function pyFixed(x: number, digits: number): string {
	if (Number.isNaN(x)) return 'nan';
	if (x === Infinity) return 'inf';
	if (x === -Infinity) return '-inf';
	const sign = x < 0 || Object.is(x, -0) ? '-' : '';
	const a = Math.abs(x);
	if (a >= 1e21) return sign + BigInt(a).toString() + (digits > 0 ? '.' + '0'.repeat(digits) : '');
	// `a` lies exactly halfway iff a * 2^(digits+1) is an odd integer.
	const scaled = a * 2 ** (digits + 1);
	if (Number.isInteger(scaled) && scaled % 2 === 1) {
		// a * 10^digits = scaled * 5^digits / 2, a half-integer: take its even neighbour.
		let n = (BigInt(scaled) * 5n ** BigInt(digits) - 1n) / 2n;
		if (n % 2n === 1n) n += 1n;
		return sign + formatScaledInteger(n, digits);
	}
	return sign + a.toFixed(digits);
}

function formatScaledInteger(n: bigint, digits: number): string {
	const text = n.toString().padStart(digits + 1, '0');
	if (digits === 0) return text;
	return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** Python's `repr(float)`: shortest round-trip digits, '1e-05', '1e+16', '2.0'. */
export function pyFloatRepr(x: number): string {
	if (Number.isNaN(x)) return 'nan';
	if (x === Infinity) return 'inf';
	if (x === -Infinity) return '-inf';
	if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
	const sign = x < 0 ? '-' : '';
	const [mantissa, exponentText] = Math.abs(x).toExponential().split('e') as [string, string];
	const digits = mantissa.replace('.', '');
	const exponent = Number(exponentText);
	if (exponent < -4 || exponent >= 16) {
		const rest = digits.slice(1);
		const e = Math.abs(exponent).toString().padStart(2, '0');
		return `${sign}${digits[0]}${rest ? '.' + rest : ''}e${exponent < 0 ? '-' : '+'}${e}`;
	}
	if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
	const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
	const fracPart = digits.slice(exponent + 1);
	return `${sign}${intPart}.${fracPart || '0'}`;
}

/** A number that Python holds as a float (printed `2.0`, not `2`). */
export class PyFloat {
	constructor(readonly value: number) {}
}

export type PyJson = null | boolean | number | string | PyFloat | PyJson[] | {[key: string]: PyJson};

/**
 * Python's `json.dumps(value, indent=2, sort_keys=True)` (with its default
 * `ensure_ascii=True`), plus the trailing newline the pipeline writes. A plain
 * JavaScript number is written as a Python int when it is an integer and as a
 * float otherwise; wrap it in `PyFloat` to force a float.
 */
export function pyJsonDump(value: PyJson): string {
	return pyJson(value, '') + '\n';
}

function pyJson(value: PyJson, indent: string): string {
	if (value === null) return 'null';
	if (value === true) return 'true';
	if (value === false) return 'false';
	if (typeof value === 'string') return pyJsonString(value);
	if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value).toString() : pyJsonFloat(value);
	if (value instanceof PyFloat) return pyJsonFloat(value.value);
	const inner = indent + '  ';
	if (Array.isArray(value)) {
		if (value.length === 0) return '[]';
		return `[\n${value.map((item) => inner + pyJson(item, inner)).join(',\n')}\n${indent}]`;
	}
	const keys = Object.keys(value).sort(comparePyStrings);
	if (keys.length === 0) return '{}';
	return `{\n${keys.map((key) => `${inner}${pyJsonString(key)}: ${pyJson(value[key]!, inner)}`).join(',\n')}\n${indent}}`;
}

function comparePyStrings(a: string, b: string): number {
	// Keys of our meta file are ASCII; code-point order equals code-unit order there,
	// but stay exact for any key.
	for (let i = 0; i < Math.min(a.length, b.length); i++) {
		const x = a.codePointAt(i)!;
		const y = b.codePointAt(i)!;
		if (x !== y) return x - y;
		if (x > 0xffff) i++;
	}
	return a.length - b.length;
}

function pyJsonFloat(x: number): string {
	if (Number.isNaN(x)) return 'NaN';
	if (x === Infinity) return 'Infinity';
	if (x === -Infinity) return '-Infinity';
	return pyFloatRepr(x);
}

const JSON_ESCAPES: Record<string, string> = {
	'"': '\\"',
	'\\': '\\\\',
	'\n': '\\n',
	'\r': '\\r',
	'\t': '\\t',
	'\b': '\\b',
	'\f': '\\f',
};

/** A JSON string as Python writes it with `ensure_ascii=True`. */
export function pyJsonString(text: string): string {
	// eslint-disable-next-line no-control-regex
	return `"${text.replace(/["\\]|[^ -~]/g, (c) => JSON_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}
