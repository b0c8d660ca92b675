// Writes test/fixtures/corpora/glossary.txt and repo-tour.txt: two corpora of
// the shape of the toy-gpt series' glossary and repo-tour corpora (lower case,
// 100 to 130 distinct tokens, a few thousand tokens), made of sentences drawn
// from small templates with a fixed seed, so the same files come out each run.
//   node scripts/make-series-corpora.mjs
import {mkdirSync, writeFileSync} from 'node:fs';

function random(seed) {
	let x = seed >>> 0;
	return () => {
		x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
		return x / 4294967296;
	};
}

function corpus(seed, lines, templates, slots) {
	const next = random(seed);
	const pick = (list) => list[Math.floor(next() * list.length)];
	const out = [];
	for (let i = 0; i < lines; i++) {
		const template = pick(templates);
		out.push(template.replace(/\{(\w+)\}/g, (_, slot) => pick(slots[slot])));
	}
	return out.join('\n') + '\n';
}

const glossary = corpus(
	14,
	300,
	[
		'a {term} is a {kind} that {verb} the {thing}',
		'the {term} {verb} the {thing} during {phase}',
		'{phase} {verb} each {thing} of the {term}',
		'a {kind} can {base} the {thing} when the {term} is {state}',
		'the {thing} of a {term} is {state} after {phase}',
	],
	{
		term: ['token', 'vocabulary', 'context', 'softmax', 'embedding', 'attention', 'gradient', 'loss', 'weight', 'bias', 'logit', 'corpus', 'prompt', 'model', 'layer', 'tokenizer', 'optimizer', 'batch', 'epoch', 'sampler', 'temperature', 'perplexity', 'entropy', 'transformer', 'decoder', 'encoder', 'head', 'residual'],
		kind: ['function', 'vector', 'number', 'table', 'list', 'matrix', 'step', 'method', 'measure', 'map', 'unit', 'score', 'rule', 'curve', 'graph'],
		verb: ['maps', 'scales', 'shifts', 'updates', 'predicts', 'reduces', 'weights', 'selects', 'counts', 'splits', 'stores', 'compares', 'normalizes', 'ranks', 'mixes', 'masks', 'clips', 'averages', 'samples'],
		base: ['map', 'scale', 'shift', 'update', 'predict', 'reduce', 'select', 'count', 'store', 'rank'],
		thing: ['input', 'output', 'probability', 'distribution', 'sequence', 'row', 'column', 'signal', 'error', 'pattern', 'meaning', 'text', 'word', 'value', 'range', 'pair', 'window', 'state'],
		phase: ['training', 'inference', 'sampling', 'evaluation', 'decoding', 'tuning'],
		state: ['small', 'large', 'fixed', 'learned', 'shared', 'sparse', 'dense', 'stable', 'noisy', 'zero', 'random', 'frozen', 'tiny'],
	},
);

const repoTour = corpus(
	20,
	280,
	[
		'the {file} in {folder} {verb} the {thing}',
		'open {folder} then read the {file} to see how it {verb} the {thing}',
		'each {file} {verb} a {thing} for the {tool}',
		'the {tool} reads the {file} and writes the {thing} to {folder}',
		'run the {tool} from {folder} before you change the {file}',
	],
	{
		file: ['readme', 'license', 'manifest', 'changelog', 'config', 'lockfile', 'makefile', 'workflow', 'notebook', 'script', 'module', 'schema', 'template', 'checklist', 'dockerfile', 'gitignore', 'citation', 'index', 'fixture', 'requirements', 'toml', 'yaml'],
		folder: ['src', 'docs', 'tests', 'artifacts', 'outputs', 'corpus', 'scripts', 'data', 'notes', 'assets', 'examples', 'build', 'images', 'slides', 'public', 'vendor', 'cache'],
		verb: ['describes', 'lists', 'defines', 'checks', 'builds', 'tests', 'formats', 'loads', 'saves', 'explains', 'tracks', 'pins', 'links', 'records', 'ignores', 'renders', 'cites', 'deploys', 'validates', 'caches'],
		thing: ['version', 'settings', 'steps', 'commands', 'results', 'weights', 'vocabulary', 'metadata', 'paths', 'rules', 'names', 'errors', 'tokens', 'examples', 'license', 'history', 'pages', 'logs'],
		tool: ['linter', 'formatter', 'trainer', 'runner', 'checker', 'builder', 'loader', 'site', 'pipeline', 'editor', 'reviewer', 'bot', 'server', 'browser'],
	},
);

mkdirSync('test/fixtures/corpora', {recursive: true});
writeFileSync('test/fixtures/corpora/glossary.txt', glossary);
writeFileSync('test/fixtures/corpora/repo-tour.txt', repoTour);
for (const [name, text] of [['glossary', glossary], ['repo-tour', repoTour]]) {
	const tokens = text.split(/\s+/).filter(Boolean);
	console.log(name, 'tokens', tokens.length, 'V', new Set(tokens).size);
}
