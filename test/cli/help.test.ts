/**
 * The help says what the code does: `train --help` gives the default
 * `--threads` that defaultThreads computes.
 */
import {describe, expect, it, vi} from 'vitest';

vi.mock('node:os', async (importOriginal) => ({...(await importOriginal<typeof import('node:os')>()), availableParallelism: () => 64}));

const {COMMAND_HELP} = await import('../../source/cli/help.js');
const {defaultThreads, PARALLEL_MIN_PAIRS} = await import('../../source/runtime/parallel-threads.js');

describe('train --help', () => {
	it('gives the default --threads as the code computes it: every core up to 8, from 200,000 pairs', () => {
		// On a 64-core machine the default stops at 8; below 200,000 pairs it is 1.
		expect(PARALLEL_MIN_PAIRS).toBe(200_000);
		expect(defaultThreads(200_000)).toBe(8);
		expect(defaultThreads(199_999)).toBe(1);
		const text = COMMAND_HELP.train.replace(/\s+/g, ' ');
		expect(text).toContain('(default: every core, up to 8, for 200,000 pairs or more, else 1)');
	});
});
