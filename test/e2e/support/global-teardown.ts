import { rmSync } from 'node:fs';
import { loadState } from './server.js';

export default async function globalTeardown(): Promise<void> {
  const state = loadState();
  if (!state) return;
  try {
    process.kill(state.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  await new Promise((r) => setTimeout(r, 500));
  rmSync(state.dataDir, { recursive: true, force: true });
}
