import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openKeyringFile, resolvePassphrase } from '../../src/security/crypto/passphrase-root.js';

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
});
