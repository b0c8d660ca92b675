// Build-time only (scripts/build.mjs): makes a run of the explorer with
// piped stdin and stdout take them for an 80x24 terminal, so the build can
// drive it, by keys written to stdin, to write the explorer's code cache.
for (const stream of [process.stdin, process.stdout]) stream.isTTY = true;
process.stdout.columns = 80;
process.stdout.rows = 24;
process.stdin.setRawMode = () => process.stdin;
