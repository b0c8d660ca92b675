/**
 * CSV as RFC 4180 and Python's `csv` module (QUOTE_MINIMAL) write it: a field
 * is quoted only when it holds a comma, a quote or a line break, and quotes
 * inside are doubled. Rows end with `\n`.
 */
import {FileFormatError} from '../runtime/errors.js';

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(field: string): string {
	if (NEEDS_QUOTES.test(field)) return `"${field.replaceAll('"', '""')}"`;
	return field;
}

export function csvRow(fields: readonly string[]): string {
	// A row made of one empty field must still be visible as a row.
	if (fields.length === 1 && fields[0] === '') return '""\n';
	let line = csvField(fields[0] ?? '');
	for (let i = 1; i < fields.length; i++) line += ',' + csvField(fields[i]!);
	return line + '\n';
}

export interface CsvRecord {
	/** 1-based line of the file where the record starts. */
	readonly line: number;
	readonly fields: string[];
}

/**
 * Parse CSV text strictly: a quote may only open a field and must be closed.
 * `file` names the file in errors.
 */
export function parseCsv(text: string, file: string): CsvRecord[] {
	const records: CsvRecord[] = [];
	let line = 1;
	let i = 0;
	const n = text.length;
	if (text.charCodeAt(0) === 0xfeff) i = 1;
	let nextQuote = text.indexOf('"', i);
	while (i < n) {
		const startLine = line;
		// Fast path: a line without quotes is its fields split at commas.
		const lineEnd = text.indexOf('\n', i);
		const stop = lineEnd < 0 ? n : lineEnd;
		if (nextQuote >= 0 && nextQuote < i) nextQuote = text.indexOf('"', i);
		if (nextQuote < 0 || nextQuote > stop) {
			let end = stop;
			if (end > i && text.charCodeAt(end - 1) === 13) end--;
			const body = text.slice(i, end);
			if (body.indexOf('\r') < 0) {
				records.push({line: startLine, fields: body.split(',')});
				i = stop + 1;
				line++;
				continue;
			}
		}
		const fields: string[] = [];
		for (;;) {
			let field = '';
			if (text[i] === '"') {
				i++;
				for (;;) {
					if (i >= n) throw new FileFormatError(file, startLine, 'a quoted field is never closed');
					const c = text[i]!;
					if (c === '"') {
						if (text[i + 1] === '"') {
							field += '"';
							i += 2;
							continue;
						}
						i++;
						break;
					}
					if (c === '\n') line++;
					field += c;
					i++;
				}
				const after = text[i];
				if (after !== ',' && after !== '\n' && after !== '\r' && after !== undefined) {
					throw new FileFormatError(file, line, 'unexpected character after a closing quote');
				}
			} else {
				let j = i;
				while (j < n) {
					const c = text.charCodeAt(j);
					if (c === 44 || c === 10 || c === 13) break;
					if (c === 34) throw new FileFormatError(file, line, 'a quote inside an unquoted field');
					j++;
				}
				field = text.slice(i, j);
				i = j;
			}
			fields.push(field);
			if (text[i] === ',') {
				i++;
				continue;
			}
			break;
		}
		if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
		else if (text[i] === '\n') i += 1;
		else if (i >= n) {
			// The last row may lack its line end.
		}
		else throw new FileFormatError(file, line, 'a bare carriage return');
		records.push({line: startLine, fields});
		line++;
	}
	return records;
}
