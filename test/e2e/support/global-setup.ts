import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, saveState, startServer } from './server.js';

/** Starts the real server for the browser suite (a fresh data dir with its first administrator). */
export default async function globalSetup(): Promise<void> {
  mkdirSync(join(ROOT, 'test-results', 'screens'), { recursive: true });
  const { state, child } = await startServer();
  child.unref();
  saveState(state);
}
