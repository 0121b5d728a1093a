import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aesGcm, DecryptError, xchacha } from '../../src/security/crypto/aead.js';
import { decodeEnvelope, openEnvelope, openEnvelopeText, sealEnvelope } from '../../src/security/crypto/envelope.js';
import { openValues, sealValues } from '../../src/security/crypto/record-cipher.js';

const context = ['contacts', 'sealed', '01935c2e-7d1a-7c3b-9a51-300012345678'];

for (const aead of [xchacha, aesGcm]) {
  describe(`record envelopes opened in place (${aead.name})`, () => {
    const dek = { id: 'dek-0192a0b1-1234-7abc', key: randomBytes(32) };
    const values = { email: 'someone@example.com', 'custom.note': 'سلام 😀 \u0000 "quoted" \\ back', n: 7 };

    it('give what decoding, opening and decoding UTF-8 step by step give', () => {
      const sealed = sealValues(aead, dek, 'contacts', context[2] ?? '', values);
      expect(openValues(dek.key, 'contacts', context[2] ?? '', sealed)).toEqual(values);
      const stepwise = openEnvelope(decodeEnvelope(Buffer.from(sealed, 'base64')), dek.key, context).toString('utf8');
      expect(openEnvelopeText(sealed, dek.key, context)).toBe(stepwise);
    });

    it('refuse another record, another key, a flipped bit, a wrong version, and truncation — then still open', () => {
      const sealed = sealValues(aead, dek, 'contacts', context[2] ?? '', values);
      const raw = Buffer.from(sealed, 'base64');
      const variant = (f: (b: Buffer) => void): string => {
        const b = Buffer.from(raw);
        f(b);
        return b.toString('base64');
      };
      const refused = [
        () => openEnvelopeText(sealed, dek.key, ['contacts', 'sealed', 'another-record']),
        () => openEnvelopeText(sealed, randomBytes(32), context),
        () =>
          openEnvelopeText(
            variant((b) => (b[b.length - 1] = (b[b.length - 1] ?? 0) ^ 1)),
            dek.key,
            context,
          ),
        () =>
          openEnvelopeText(
            variant((b) => (b[0] = 9)),
            dek.key,
            context,
          ),
        () =>
          openEnvelopeText(
            variant((b) => (b[1] = 7)),
            dek.key,
            context,
          ),
        () =>
          openEnvelopeText(
            variant((b) => (b[3] = (b[3] ?? 0) ^ 1)),
            dek.key,
            context,
          ), // the key id (in the AAD)
        () => openEnvelopeText(raw.subarray(0, 20).toString('base64'), dek.key, context),
        () => openEnvelopeText('', dek.key, context),
      ];
      for (const attempt of refused) expect(attempt).toThrow(DecryptError);
      expect(openValues(dek.key, 'contacts', context[2] ?? '', sealed)).toEqual(values);
    });

    it('agree with the stepwise path on an empty context, and both refuse a key id that is not UTF-8', () => {
      const plain = Buffer.from('{"a":1}');
      const sealed = sealEnvelope(aead, dek.key, dek.id, plain, []).toString('base64');
      expect(openEnvelopeText(sealed, dek.key, [])).toBe('{"a":1}');
      // Sealed under the key id U+FFFD, then relabelled 0xFF: decoding would have turned it back into U+FFFD.
      const raw = sealEnvelope(aead, dek.key, '\ufffd', plain, context);
      const relabelled = Buffer.concat([Buffer.from([raw[0] ?? 0, raw[1] ?? 0, 1, 0xff]), raw.subarray(6)]);
      expect(() => openEnvelopeText(relabelled.toString('base64'), dek.key, context)).toThrow(DecryptError);
      expect(() => decodeEnvelope(relabelled)).toThrow(DecryptError);
      const big = sealEnvelope(aead, dek.key, '\ufffd', Buffer.from('x'.repeat(20_000)), context);
      const bigRelabelled = Buffer.concat([Buffer.from([big[0] ?? 0, big[1] ?? 0, 1, 0xff]), big.subarray(6)]);
      expect(() => openEnvelopeText(bigRelabelled.toString('base64'), dek.key, context)).toThrow(DecryptError);
      expect(openEnvelopeText(raw.toString('base64'), dek.key, context)).toBe('{"a":1}');
    });

    it('open values too large for the scratch buffer the ordinary way', () => {
      const big = { note: 'ب'.repeat(20_000) };
      const sealed = sealEnvelope(aead, dek.key, dek.id, Buffer.from(JSON.stringify(big)), context).toString('base64');
      expect(sealed.length).toBeGreaterThan(16_000);
      expect(JSON.parse(openEnvelopeText(sealed, dek.key, context))).toEqual(big);
      const longContext = ['contacts', 'sealed', 'x'.repeat(2_000)];
      const sealedLong = sealEnvelope(aead, dek.key, dek.id, Buffer.from('{}'), longContext).toString('base64');
      expect(openEnvelopeText(sealedLong, dek.key, longContext)).toBe('{}');
    });
  });
}
