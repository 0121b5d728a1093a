#!/usr/bin/env node
// Entry point of the `separ` command: runs the compiled CLI (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('separ: the server is not built yet. Run `npm run build` (npm install does it for you).\n');
  process.exit(1);
}
await import(main.href);
