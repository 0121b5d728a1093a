import { existsSync, statSync } from 'node:fs';
import type { SeparConfig } from '../../config/config.js';
import type { Logger } from '../../platform/logger.js';
import { MIN_PASSPHRASE, openKeyringFile, resolvePassphrase } from './passphrase-root.js';
import { KeyringError, type RootKey } from './root-key.js';

/**
 * Open the configured root: the HSM when SEPAR_PKCS11_* is set, else the sealed keyring file.
 * `hasKeys` says whether the database already holds wrapped keys: then a missing keyring is an
 * error (never silently replaced), and nothing is written before the root is proven right.
 */
export async function openRoot(config: SeparConfig, logger: Logger, hasKeys: boolean): Promise<RootKey> {
  if (config.pkcs11) {
    const { openPkcs11Root } = await import('./pkcs11-root.js');
    return openPkcs11Root(config.pkcs11, { create: !hasKeys });
  }
  const exists = existsSync(config.keyringFile);
  if (!exists && hasKeys) {
    throw new KeyringError(`the keyring file ${config.keyringFile} is missing, but the database holds encrypted keys`);
  }
  const source = resolvePassphrase({
    passphrase: config.passphrase,
    passphraseFile: config.passphraseFile,
    dataDir: config.dataDir,
    keyringExists: exists,
  });
  if (source.generated) {
    logger.warn(
      { passphraseFile: source.origin },
      'EVALUATION ONLY: the keyring passphrase is a generated file next to the data. Anyone with the data directory can read all personal data. Set SEPAR_PASSPHRASE_FILE (kept elsewhere) or an HSM (SEPAR_PKCS11_*) before real use.',
    );
  }
  if (source.passphrase.length < MIN_PASSPHRASE) {
    logger.warn(
      { passphraseFrom: source.origin },
      `the keyring passphrase is shorter than ${MIN_PASSPHRASE} characters: a copy of keyring.json can be opened by guessing it (new keyrings refuse such a passphrase).`,
    );
  }
  for (const file of [config.passphraseFile, exists ? config.keyringFile : null]) {
    if (file !== null && readableByOthers(file)) {
      logger.warn(
        { file },
        'a keyring secret is readable by other users of this machine (group or others have access): chmod 600 it',
      );
    }
  }
  const { root, created } = await openKeyringFile(config.keyringFile, source.passphrase);
  if (created)
    logger.warn({ keyring: config.keyringFile }, 'created a new sealed keyring — back it up apart from the database');
  return root;
}

/** Group or others may read the file (a passphrase file or keyring.json should be its owner's alone). */
function readableByOthers(file: string): boolean {
  try {
    return (statSync(file).mode & 0o044) !== 0;
  } catch {
    return false;
  }
}
