/**
 * scripts/build.mjs edits string-width so that its RGI emoji pattern is
 * compiled only for graphemes that could match it. The edited module must
 * measure every string as the original does.
 */
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import stringWidth from 'string-width';
import {beforeAll, describe, expect, it} from 'vitest';
import {applyEdit, EDITS} from '../../scripts/build.mjs';

const root = new URL('../../', import.meta.url).pathname;
let edited: typeof stringWidth;
/** The edit's pre-test: graphemes it rejects never meet the full pattern. */
let candidate: RegExp;

beforeAll(async () => {
	const source = readFileSync(join(root, EDITS.stringWidthLazyEmoji.file), 'utf8');
	// Beside node_modules, so its own imports (strip-ansi, get-east-asian-width) resolve.
	const dir = join(root, 'node_modules', '.cache', 'toy-gpt-tui');
	mkdirSync(dir, {recursive: true});
	const file = join(dir, 'string-width-edited.mjs');
	const code = applyEdit('stringWidthLazyEmoji', source);
	writeFileSync(file, code);
	const [, pattern, flags] = /rgiEmojiCandidate = \/(.+)\/(\w*);/.exec(code)!;
	candidate = new RegExp(pattern!, flags);
	edited = ((await import(file)) as {default: typeof stringWidth}).default;
});

const RGI = new RegExp('^\\p{RGI_Emoji}$', 'v');
const ZWJ = '\u200D';
const VS16 = '\uFE0F';
const KEYCAP = '\u20E3';
const SKIN = ['\u{1F3FB}', '\u{1F3FF}'];

/** Every code point of the planes that hold emoji (0 and 1), as a string. */
function* codePoints(): Generator<string> {
	for (let c = 0; c <= 0x1ffff; c++) if (c < 0xd800 || c > 0xdfff) yield String.fromCodePoint(c);
}

describe("string-width's RGI emoji test, compiled lazily", () => {
	it('passes every RGI emoji made of a code point with or without VS16, keycap or skin tone to the full pattern', () => {
		let matches = 0;
		for (const c of codePoints()) {
			for (const s of [c, c + VS16, c + KEYCAP, c + VS16 + KEYCAP, c + SKIN[0]!, c + VS16 + SKIN[1]!]) {
				if (RGI.test(s)) {
					matches++;
					if (!candidate.test(s)) expect.fail(`RGI emoji ${JSON.stringify(s)} is not a candidate`);
				}
			}
		}
		// The basic emoji, keycaps and modifier sequences are well over a thousand.
		expect(matches).toBeGreaterThan(1500);
	});

	it('measures every code point, flag, tag and ZWJ sequence as the original does', () => {
		const samples: string[] = [];
		for (const c of codePoints()) samples.push(c);
		for (let c = 0; c <= 0x3ffff; c += 7) if (c < 0xd800 || c > 0xdfff) samples.push(`a${String.fromCodePoint(c)}─`);
		for (let c = 0xe0000; c <= 0xe01ef; c++) samples.push(String.fromCodePoint(c));
		for (let a = 0x1f1e6; a <= 0x1f1ff; a++) for (let b = 0x1f1e6; b <= 0x1f1ff; b++) samples.push(String.fromCodePoint(a, b));
		const tags = (text: string) => [...text].map((ch) => String.fromCodePoint(0xe0000 + ch.codePointAt(0)!)).join('');
		samples.push(`\u{1F3F4}${tags('gbeng')}\u{E007F}`, `\u{1F3F4}${tags('zzzzz')}\u{E007F}`);
		for (const keycap of ['#', '*', '0', '9']) samples.push(keycap + KEYCAP, keycap + VS16 + KEYCAP, `x${keycap}${VS16}${KEYCAP}y`);
		samples.push(
			`\u{1F468}${ZWJ}\u{1F469}${ZWJ}\u{1F467}`,
			`\u{1F3F3}${VS16}${ZWJ}\u{1F308}`,
			`\u{1F9D1}\u{1F3FD}${ZWJ}\u{1F4BB}`,
			`\u2764${ZWJ}\u{1F525}`,
			`a${ZWJ}b`,
			'│ 1 Corpus ─ 2 Vocabulary ─ ▸ … 99.97% ↑↓',
			'日本語のテキスト',
			'e\u0301 ﾃｽﾄ',
		);
		let compared = 0;
		for (const s of samples) {
			if (edited(s) !== stringWidth(s)) expect.fail(`${JSON.stringify(s)}: ${edited(s)} != ${stringWidth(s)}`);
			compared++;
		}
		expect(compared).toBe(samples.length);
	}, 60_000);
});
