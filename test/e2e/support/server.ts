import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveArgv } from '../../../scripts/serve-args.mjs';

export const ROOT = new URL('../../../', import.meta.url).pathname;
/** The Separ checkout whose `bin/separ.js` is started (this one unless SEPAR_E2E_SERVER_ROOT names another build). */
export const SERVER_ROOT = process.env.SEPAR_E2E_SERVER_ROOT ?? ROOT;

export const ADMIN = { email: 'ada@example.com', name: 'Ada Lovelace', password: 'violet-harbour-lantern-93' };

export interface ServerState {
  baseURL: string;
  dataDir: string;
  pid: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function separ(args: string[], env: NodeJS.ProcessEnv, input?: string): string {
  const r = spawnSync(process.execPath, [join(SERVER_ROOT, 'bin', 'separ.js'), ...args], {
    env,
    input,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (r.status !== 0) throw new Error(`separ ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

export interface StartOptions {
  dataDir?: string;
  seedContacts?: number;
  /** Extra environment for the server (e.g. a shorter step-up window). */
  env?: Record<string, string>;
}

/** A fresh data dir, the first admin, and `separ serve` on a free loopback port (HTTPS, self-signed). */
export async function startServer(opts: StartOptions = {}): Promise<{ state: ServerState; child: ChildProcess }> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'separ-e2e-'));
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  const port = await freePort();
  const baseURL = `https://localhost:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SEPAR_DATA_DIR: dataDir,
    SEPAR_HOST: '127.0.0.1',
    SEPAR_PORT: String(port),
    SEPAR_PUBLIC_URL: baseURL,
    SEPAR_LOG_LEVEL: 'warn',
    ...opts.env,
  };
  if (!opts.dataDir) {
    separ(['migrate'], env);
    separ(['init', '--email', ADMIN.email, '--name', ADMIN.name, '--password-stdin'], env, ADMIN.password);
  }
  if (opts.seedContacts) separ(['seed', '--contacts', String(opts.seedContacts)], env);
  // The server's own log goes to test-results/ for when a run needs explaining.
  const log = openSync(join(ROOT, 'test-results', `e2e-server-${port}.log`), 'a');
  const child = spawn(process.execPath, serveArgv(join(SERVER_ROOT, 'bin', 'separ.js')), {
    env,
    stdio: ['ignore', log, 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderr += b.toString();
    writeSync(log, b);
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`separ serve exited: ${stderr}`);
    try {
      const ok = await healthy(port);
      if (ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`separ serve did not become healthy: ${stderr}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { state: { baseURL, dataDir, pid: child.pid ?? 0 }, child };
}

async function healthy(port: number): Promise<boolean> {
  const https = await import('node:https');
  return new Promise((resolve) => {
    const req = https.get(
      { host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false, timeout: 2000 },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('error', () => resolve(false));
  });
}

/** Kept in this run's environment (global setup and teardown share the runner process; workers inherit it). */
export function saveState(state: ServerState): void {
  process.env.SEPAR_E2E_STATE = JSON.stringify(state);
  process.env.SEPAR_E2E_BASE_URL = state.baseURL;
}

export function loadState(): ServerState | null {
  const raw = process.env.SEPAR_E2E_STATE;
  return raw ? (JSON.parse(raw) as ServerState) : null;
}
