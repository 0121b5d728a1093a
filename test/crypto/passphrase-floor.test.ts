import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { chmodSync } from 'node:fs';
import { openKeyringFile, resolvePassphrase } from '../../src/security/crypto/passphrase-root.js';
import { openRoot } from '../../src/security/crypto/root-loader.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/platform/logger.js';

/** A keyring sealed under a guessable passphrase is open to offline guessing once keyring.json is copied. */
describe('keyring passphrase floor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'separ-pass-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const base = { passphraseFile: null, dataDir: dir };

  it('refuses a short SEPAR_PASSPHRASE for a new keyring, as it does a short passphrase file', () => {
    expect(() => resolvePassphrase({ ...base, passphrase: 'a', keyringExists: false })).toThrow(/at least 16/);
    expect(() => resolvePassphrase({ ...base, passphrase: '123456789012345', keyringExists: false })).toThrow(
      /at least 16/,
    );
    const file = join(dir, 'short.pass');
    writeFileSync(file, 'short\n');
    expect(() =>
      resolvePassphrase({ passphrase: null, passphraseFile: file, dataDir: dir, keyringExists: false }),
    ).toThrow(/at least 16/);
    expect(resolvePassphrase({ ...base, passphrase: 'sixteen chars ok', keyringExists: false }).origin).toBe(
      'SEPAR_PASSPHRASE',
    );
    // Nothing was generated in the data dir for the refused ones.
    expect(existsSync(join(dir, 'keyring.passphrase'))).toBe(false);
  });

  it('still opens a keyring that an earlier version sealed under a short passphrase (no lock-out)', async () => {
    const file = join(dir, 'old-keyring.json');
    const { root, created } = await openKeyringFile(file, 'a');
    expect(created).toBe(true);
    await root.close();
    const source = resolvePassphrase({ ...base, passphrase: 'a', keyringExists: true });
    const again = await openKeyringFile(file, source.passphrase);
    expect(again.created).toBe(false);
    await again.root.close();
  });

  it('warns when the passphrase file or the keyring is readable by other users', async () => {
    const sub = mkdtempSync(join(dir, 'perm-'));
    const passFile = join(sub, 'pass');
    writeFileSync(passFile, 'a long enough passphrase here\n', { mode: 0o644 });
    chmodSync(passFile, 0o644);
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const config = loadConfig({ SEPAR_DATA_DIR: sub, SEPAR_PASSPHRASE_FILE: passFile, SEPAR_LOG_LEVEL: 'warn' });
    const root = await openRoot(config, createLogger('warn', sink), false);
    await root.close();
    expect(lines.join('')).toContain('readable by other users');
    // Owner-only files say nothing.
    chmodSync(passFile, 0o600);
    lines.length = 0;
    const again = await openRoot(config, createLogger('warn', sink), true);
    await again.close();
    expect(lines.join('')).not.toContain('readable by other users');
  });
});
