/** The Node flags `npm start` gives `separ serve` (see serve-args.mjs). */
export declare const SERVE_NODE_FLAGS: readonly string[];
/** argv for `process.execPath`: Node's flags, then `extra` Node flags, then the CLI and `serve`. */
export declare function serveArgv(bin: string, extra?: readonly string[]): string[];
