// How the benches start `separ serve`: exactly as `npm start` does (package.json "start"), Node's flags
// included, so that they measure what is run. test/cli/start-script.test.ts keeps the two in step.
//
// --max-semi-space-size=32: a 32 MB young generation (Node's default is 16 MB). A list page's objects live
// across a few awaits; in a smaller young generation they are still alive at a scavenge and get copied. ADR 0014.
export const SERVE_NODE_FLAGS = ['--max-semi-space-size=32'];

/** argv for `process.execPath`: Node's flags, then `extra` Node flags (a CPU profile), then the CLI. */
export const serveArgv = (bin, extra = []) => [...SERVE_NODE_FLAGS, ...extra, bin, 'serve'];
