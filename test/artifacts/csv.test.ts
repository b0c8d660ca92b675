/**
 * CSV writing must match Python's csv.writer(f, lineterminator='\n') with
 * QUOTE_MINIMAL (expected rows computed with Python and hard-coded), and the
 * strict reader must read those rows back and report problems with file:line.
 */
import {describe, expect, it} from 'vitest';
import {csvField, csvRow, parseCsv} from '../../source/artifacts/csv.js';
import {FileFormatError} from '../../source/runtime/errors.js';

/** [fields, what Python's csv.writer(lineterminator='\n').writerow(fields) writes] */
const PYTHON_ROWS: Array<[string[], string]> = [
	[['plain', 'x'], 'plain,x\n'],
	[['a,b'], '"a,b"\n'],
	[['say "hi"'], '"say ""hi"""\n'],
	[['a,"b"'], '"a,""b"""\n'],
	[[''], '""\n'],
	[['', ''], ',\n'],
	[['a\nb', 'c'], '"a\nb",c\n'],
	[['a\r\nb'], '"a\r\nb"\n'],
	[[' spaced '], ' spaced \n'],
	[['tab\there'], 'tab\there\n'],
	[['"', ',', ''], '"""",",",\n'],
	[['caf\u00e9', '\u{1F600}'], 'caf\u00e9,\u{1F600}\n'],
	[['token_id', 'token', 'frequency'], 'token_id,token,frequency\n'],
	[['0', ',', '3'], '0,",",3\n'],
];

describe('csvRow matches Python csv.writer (QUOTE_MINIMAL, lineterminator \\n)', () => {
	for (const [fields, expected] of PYTHON_ROWS) {
		it(`writes ${JSON.stringify(fields)} as ${JSON.stringify(expected)}`, () => {
			expect(csvRow(fields)).toBe(expected);
		});
	}

	it('quotes a bare carriage return, as CPython does since 3.11.9 / 3.12.3 (gh-67044)', () => {
		expect(csvRow(['a\rb'])).toBe('"a\rb"\n');
	});
});

describe('csvField', () => {
	it('leaves a field without comma, quote or line break unquoted', () => {
		expect(csvField('hello')).toBe('hello');
		expect(csvField('')).toBe('');
		expect(csvField('a|b')).toBe('a|b');
	});

	it('quotes a field with a comma', () => {
		expect(csvField('a,b')).toBe('"a,b"');
	});

	it('quotes a field with a quote and doubles the quote', () => {
		expect(csvField('5" tall')).toBe('"5"" tall"');
	});

	it('quotes a field with both a comma and quotes', () => {
		expect(csvField('"x",y')).toBe('"""x"",y"');
	});

	it('quotes a field with a line feed', () => {
		expect(csvField('one\ntwo')).toBe('"one\ntwo"');
	});
});

describe('parseCsv', () => {
	it('reads back every Python-written row', () => {
		for (const [fields, text] of PYTHON_ROWS) {
			expect(parseCsv(text, 'f.csv'), JSON.stringify(text)).toEqual([{line: 1, fields}]);
		}
	});

	it('round-trips a whole file of tricky rows with their start lines', () => {
		const rows = [['h1', 'h2'], ['a,b', 'say "hi"'], ['multi\nline\nfield', 'x'], [''], ['last', '']];
		const text = rows.map(csvRow).join('');
		expect(parseCsv(text, 'f.csv')).toEqual([
			{line: 1, fields: ['h1', 'h2']},
			{line: 2, fields: ['a,b', 'say "hi"']},
			{line: 3, fields: ['multi\nline\nfield', 'x']},
			{line: 6, fields: ['']},
			{line: 7, fields: ['last', '']},
		]);
	});

	it('advances the line count past a multi-line quoted field', () => {
		const records = parseCsv('a,"x\ny"\nb,c\n', 'f.csv');
		expect(records.map((r) => r.line)).toEqual([1, 3]);
		expect(records[1]!.fields).toEqual(['b', 'c']);
	});

	it('accepts a missing final newline', () => {
		expect(parseCsv('a,b\nc,d', 'f.csv')).toEqual([
			{line: 1, fields: ['a', 'b']},
			{line: 2, fields: ['c', 'd']},
		]);
		expect(parseCsv('"q,1"', 'f.csv')).toEqual([{line: 1, fields: ['q,1']}]);
	});

	it('reads CRLF rows without keeping the carriage return', () => {
		expect(parseCsv('a,b\r\nc,"d\r\ne"\r\nf,g\r\n', 'f.csv')).toEqual([
			{line: 1, fields: ['a', 'b']},
			{line: 2, fields: ['c', 'd\r\ne']},
			{line: 4, fields: ['f', 'g']},
		]);
	});

	it('gives no records for empty text', () => {
		expect(parseCsv('', 'f.csv')).toEqual([]);
	});

	it('skips a leading byte-order mark', () => {
		expect(parseCsv('\ufeffa,b\n', 'f.csv')).toEqual([{line: 1, fields: ['a', 'b']}]);
	});

	it('reads an empty line as one empty field', () => {
		expect(parseCsv('a\n\nb\n', 'f.csv')).toEqual([
			{line: 1, fields: ['a']},
			{line: 2, fields: ['']},
			{line: 3, fields: ['b']},
		]);
	});

	it('refuses an unclosed quote with file:line of the record', () => {
		expect(() => parseCsv('a,b\nc,"never closed\nmore\n', 'data/x.csv')).toThrow('data/x.csv:2: a quoted field is never closed');
	});

	it('refuses a stray quote inside an unquoted field with file:line', () => {
		expect(() => parseCsv('ok\nok\nab"c,d\n', 'y.csv')).toThrow('y.csv:3: a quote inside an unquoted field');
	});

	it('reports the line of a stray quote after a multi-line quoted field', () => {
		expect(() => parseCsv('"a\nb"\nx"y\n', 'z.csv')).toThrow('z.csv:3: a quote inside an unquoted field');
	});

	it('refuses text after a closing quote', () => {
		expect(() => parseCsv('"ab"c,d\n', 'w.csv')).toThrow('w.csv:1: unexpected character after a closing quote');
	});

	it('refuses a bare carriage return as a line end', () => {
		expect(() => parseCsv('a\rb\n', 'v.csv')).toThrow('v.csv:1: a bare carriage return');
	});

	it('throws a FileFormatError carrying file and line', () => {
		try {
			parseCsv('x\n"open', 'u.csv');
			expect.fail('parseCsv should have thrown');
		} catch (error) {
			expect(error).toBeInstanceOf(FileFormatError);
			expect((error as FileFormatError).file).toBe('u.csv');
			expect((error as FileFormatError).line).toBe(2);
		}
	});
});
