import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBuiltCli, runSepar } from '../support/cli.js';

/** A server that cannot listen must end with the error, not stay alive holding the database and its threads. */
describe('separ serve on a port already taken', () => {
  const dir = mkdtempSync(join(tmpdir(), 'separ-port-'));
  let blocker: Server;
  let port = 0;

  beforeAll(async () => {
    requireBuiltCli();
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits non-zero naming the problem, and leaves a log that verifies', () => {
    const env = {
      SEPAR_DATA_DIR: dir,
      SEPAR_HOST: '127.0.0.1',
      SEPAR_PORT: String(port),
      SEPAR_INSECURE_HTTP: '1',
    };
    const served = runSepar(['serve'], env);
    expect(served.code, served.stderr).not.toBe(0);
    expect(served.code).not.toBeNull(); // ended by itself, not by the 60 s timeout
    expect(served.stderr).toMatch(/EADDRINUSE|address already in use/i);
    // The log it started still verifies.
    const verify = runSepar(['audit', 'verify', '--json'], env);
    expect(verify.code, verify.stderr).toBe(0);
  });
});
