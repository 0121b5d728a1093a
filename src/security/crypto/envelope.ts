import { AEADS, DecryptError, type Aead, type AeadId } from './aead.js';

/**
 * Ciphertext envelope: version(1) ‖ alg(1) ‖ kid length(1) ‖ kid ‖ nonce ‖ ciphertext ‖ tag.
 * The key id travels with the data so rotation never has to guess; the AAD binds the envelope to
 * its place (table, column, record id) and to the key id, so ciphertext cannot be moved or relabelled.
 */
export const ENVELOPE_VERSION = 1;

export interface Envelope {
  alg: AeadId;
  kid: string;
  body: Buffer;
}

export function encodeEnvelope(aead: Aead, kid: string, body: Buffer): Buffer {
  const k = Buffer.from(kid, 'utf8');
  if (k.length > 255) throw new Error('key id too long');
  return Buffer.concat([Buffer.from([ENVELOPE_VERSION, aead.id, k.length]), k, body]);
}

export function decodeEnvelope(buf: Buffer): Envelope {
  if (buf.length < 3 || buf[0] !== ENVELOPE_VERSION) throw new DecryptError();
  const alg = buf[1] as AeadId;
  if (!AEADS[alg]) throw new DecryptError();
  const len = buf[2] ?? 0;
  if (buf.length < 3 + len) throw new DecryptError();
  return { alg, kid: buf.subarray(3, 3 + len).toString('utf8'), body: buf.subarray(3 + len) };
}

/** AAD = context parts joined by a separator that cannot appear in them, plus the key id. */
export function aadOf(parts: readonly string[], kid: string): Buffer {
  return Buffer.from([...parts, kid].join('\u001f'), 'utf8');
}

export function sealEnvelope(
  aead: Aead,
  key: Buffer,
  kid: string,
  plaintext: Buffer,
  context: readonly string[],
): Buffer {
  return encodeEnvelope(aead, kid, aead.seal(key, plaintext, aadOf(context, kid)));
}

export function openEnvelope(env: Envelope, key: Buffer, context: readonly string[]): Buffer {
  const aead = AEADS[env.alg];
  return aead.open(key, env.body, aadOf(context, env.kid));
}
