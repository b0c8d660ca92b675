import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup, render} from 'ink-testing-library';
import stripAnsi from 'strip-ansi';
import {ErrorScreen} from '../../source/explorer/components/error-screen.js';

afterEach(() => cleanup());

describe('the explorer cannot open', () => {
	it('shows the message in its own frame, escaped, and leaves on a key', async () => {
		let left = 0;
		const app = render(<ErrorScreen message={'cannot read corpus evil\u001b[2J.txt: no such file'} onLeave={() => left++} />);
		await new Promise((resolve) => setTimeout(resolve, 20));
		const frame = stripAnsi(app.lastFrame() ?? '');
		expect(frame).toContain('toy-gpt-tui cannot open the explorer');
		expect(frame).toContain('cannot read corpus evil\\x1b[2J.txt: no such file');
		expect(app.lastFrame()).not.toContain('\u001b[2J');
		app.stdin.write('q');
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(left).toBe(1);
	});
});
