/**
 * The explorer's root: the frame (stage bar, stage, footer), the help
 * overlay, and the one input handler. The whole frame is laid out for the
 * terminal's current size and never reaches its last row (Ink clears the
 * screen and flickers when output is as tall as the terminal).
 */
import React, {useEffect, useRef, useState, useSyncExternalStore} from 'react';
import {Box, Text, useApp, useInput, useStdin} from 'ink';
import {appKey, appPaste, initialAppState, isTyping, type AppState, type Effect} from './app-state.js';
import {readKeys, type PasteState} from './input.js';
import {COMPARE, COMPARE_TYPING, CORPUS, GLOBAL, MODEL, PROMPT, PROMPT_TYPING, TRAIN, VOCAB, VOCAB_FILTER, type Binding, type StageId} from './keymap.js';
import {Footer, Header, HelpFooter, HelpOverlay, MIN_COLUMNS, MIN_ROWS, TooSmall} from './components/chrome.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import type {ExplorerSession} from './session.js';
import {nextEpochs, nextLearningRate} from './train-controller.js';
import type {StageContext} from './stages/types.js';
import {CorpusStage} from './stages/corpus/view.js';
import {VocabStage} from './stages/vocab/view.js';
import {ModelStage} from './stages/model/view.js';
import {TrainStage} from './stages/train/view.js';
import {PromptStage} from './stages/prompt/view.js';
import {CompareStage} from './stages/compare/view.js';

function stageBindings(state: AppState): Record<string, Binding> {
	switch (state.stage) {
		case 'corpus':
			return CORPUS;
		case 'vocab':
			return state.vocab.filtering ? VOCAB_FILTER : VOCAB;
		case 'model':
			return MODEL;
		case 'train':
			return TRAIN;
		case 'prompt':
			return state.prompt.typing ? PROMPT_TYPING : PROMPT;
		case 'compare':
			return state.compare.typing ? COMPARE_TYPING : COMPARE;
	}
}

export interface AppProps {
	readonly session: ExplorerSession;
	readonly initialStage?: StageId;
	/** Called with the exit status when the user quits. */
	readonly onQuit?: (code: number) => void;
}

export function App({session, initialStage, onQuit}: AppProps) {
	const {exit} = useApp();
	const {isRawModeSupported} = useStdin();
	const {columns, rows} = useTerminalSize();
	const {controller} = session;
	const train = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
	// Re-render when the artifacts' model has loaded (the prompt stage reads it).
	useSyncExternalStore(session.artifacts.subscribe, session.artifacts.getSnapshot);
	const compare = useSyncExternalStore(session.compare.subscribe, session.compare.getSnapshot);
	const [state, setState] = useState<AppState>(() => initialAppState(session, initialStage));
	// The latest state, for keys that arrive before React renders again.
	const latest = useRef(state);

	// Keep one row free below the frame.
	const frameRows = rows - 1;
	const bodyRows = frameRows - 2;
	const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
	const ctx: StageContext = {session, train, rows: bodyRows, columns};

	useEffect(
		() => () => {
			controller.dispose();
			session.compare.dispose();
		},
		[controller, session],
	);
	// A session opened on the compare stage starts its models at once.
	useEffect(() => {
		if (initialStage === 'compare') session.compare.start();
	}, [initialStage, session]);

	const run = (effect: Effect) => {
		switch (effect) {
			case 'quit':
			case 'interrupt':
				// q ends with 0; Ctrl+C is an interrupt: 130, as a shell reports it.
				controller.dispose();
				onQuit?.(effect === 'quit' ? 0 : 130);
				exit();
				return;
			case 'train.toggle':
				return controller.toggle();
			case 'train.epoch':
				return controller.oneEpoch();
			case 'train.reset':
				return controller.reset();
			case 'train.faster':
				return controller.faster();
			case 'train.slower':
				return controller.slower();
			case 'train.step':
				controller.step();
				return;
			case 'train.epochs.more':
				return controller.setEpochs(nextEpochs(controller.epochs, 1));
			case 'train.epochs.fewer':
				return controller.setEpochs(nextEpochs(controller.epochs, -1));
			case 'train.lr.higher':
				return controller.setLearningRate(nextLearningRate(controller.run.learningRate, 1));
			case 'train.lr.lower':
				return controller.setLearningRate(nextLearningRate(controller.run.learningRate, -1));
			case 'model.other':
				session.artifacts.useOther();
				return;
			case 'compare.start':
				return session.compare.start();
			case 'compare.embeddings':
				return session.compare.trainEmbeddings();
		}
	};

	// Whether a bracketed paste is under way (its text comes in several events).
	const paste = useRef<PasteState>({pasting: false});

	useInput(
		(input, key) => {
			// Keys typed fast, a held key or a paste arrive as one chunk ("/ca",
			// "\x7f\x7f\x7f", "the\tcat"): reduce the keys it holds one by one
			// against the latest state, so a key that opens text entry sends the
			// rest into it.
			const events = readKeys(input, key, paste.current);
			if (tooSmall) {
				for (const event of events) {
					if (event.paste) continue;
					if (GLOBAL.quit.match(event.input, event.key)) return run('quit');
					if (GLOBAL.forceQuit.match(event.input, event.key)) return run('interrupt');
				}
				return;
			}
			const current = latest.current;
			let next = current;
			const effects: Effect[] = [];
			for (const event of events) {
				const keyCtx: StageContext = {...ctx, train: controller.getSnapshot()};
				const result = event.paste ? appPaste(next, event.input, keyCtx) : appKey(next, event.input, event.key, keyCtx);
				next = result.state;
				effects.push(...result.effects);
				if (result.effects.includes('quit') || result.effects.includes('interrupt')) break;
			}
			latest.current = next;
			if (next !== current) setState(next);
			for (const effect of effects) run(effect);
		},
		{isActive: isRawModeSupported === true},
	);

	if (tooSmall) return <TooSmall columns={columns} rows={rows} />;

	const typing = isTyping(state);
	let body: React.ReactNode;
	if (state.help) body = <HelpOverlay stage={state.stage} columns={columns} rows={bodyRows} />;
	else {
		switch (state.stage) {
			case 'corpus':
				body = <CorpusStage state={state.corpus} ctx={ctx} />;
				break;
			case 'vocab':
				body = <VocabStage state={state.vocab} ctx={ctx} />;
				break;
			case 'model':
				body = <ModelStage state={state.model} ctx={ctx} />;
				break;
			case 'train':
				body = <TrainStage ctx={ctx} view={state.train} />;
				break;
			case 'compare':
				body = <CompareStage ctx={ctx} text={state.prompt.text} typing={state.compare.typing} columnsView={state.compare.columns === true} compare={compare} />;
				break;
			case 'prompt':
				body = <PromptStage state={state.prompt} ctx={ctx} />;
				break;
		}
	}
	return (
		<Box flexDirection="column" width={columns} height={frameRows}>
			<Header stage={state.stage} columns={columns} note={train.status === 'running' && state.stage !== 'train' ? 'training…' : undefined} />
			<Box height={bodyRows} flexDirection="column" overflow="hidden">
				{body}
			</Box>
			{state.help ? (
				<HelpFooter columns={columns} />
			) : (
				<Footer bindings={stageBindings(state)} columns={columns} typing={typing} />
			)}
		</Box>
	);
}
