// The Node flags `npm start` gives `separ serve` (package.json "start"), for the benches and the browser tests that
// start a server themselves, so that they run what users run. test/cli/start-script.test.ts keeps them in step.
//
// --max-semi-space-size=32: semi-spaces of 32 MB (Node 20's default is 16 MB; the young generation is two of them).
// A list page's objects live across a few awaits; in a smaller young generation more of them are still alive at a
// scavenge and get copied. ADR 0014.
export const SERVE_NODE_FLAGS = ['--max-semi-space-size=32'];

/** argv for `process.execPath`: Node's flags, then `extra` Node flags (a CPU profile), then the CLI. */
export const serveArgv = (bin, extra = []) => [...SERVE_NODE_FLAGS, ...extra, bin, 'serve'];
