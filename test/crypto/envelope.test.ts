import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aesGcm, DecryptError, xchacha, type Aead } from '../../src/security/crypto/aead.js';
import {
  decodeEnvelope,
  openEnvelope,
  openEnvelopeText,
  sealEnvelope,
  sealEnvelopeText,
} from '../../src/security/crypto/envelope.js';
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

for (const aead of [xchacha, aesGcm]) {
  describe(`envelopes sealed in place (${aead.name})`, () => {
    const dek = { id: 'dek-0192a0b1-1234-7abc', key: randomBytes(32) };
    /** Opens a base64 envelope the stepwise way, checking it is laid out as sealEnvelope lays it out. */
    const stepwise = (sealed: string, kid: string, ctx: readonly string[], plainBytes: number): Buffer => {
      const raw = Buffer.from(sealed, 'base64');
      const reference = sealEnvelope(aead, dek.key, kid, Buffer.alloc(plainBytes), ctx);
      expect(raw.length).toBe(reference.length);
      expect(raw.subarray(0, 3 + Buffer.byteLength(kid))).toEqual(reference.subarray(0, 3 + Buffer.byteLength(kid)));
      const env = decodeEnvelope(raw);
      expect(env.kid).toBe(kid);
      return openEnvelope(env, dek.key, ctx);
    };

    it('lay out what sealEnvelope lays out, for text and for key bytes, on either side of the scratch limits', () => {
      const texts = ['{"a":1}', '', 'سلام 😀 \u0000 "quoted" \\ back', 'ب'.repeat(6_000), 'ب'.repeat(6_001)];
      for (const text of texts) {
        for (const ctx of [context, [], ['contacts', 'sealed', 'x'.repeat(1_000)], ['c', 'x'.repeat(1_001)]]) {
          const sealed = sealEnvelopeText(aead, dek.key, dek.id, text, ctx);
          expect(stepwise(sealed, dek.id, ctx, Buffer.byteLength(text)).toString('utf8')).toBe(text);
          expect(openEnvelopeText(sealed, dek.key, ctx)).toBe(text);
        }
      }
      const key = randomBytes(32);
      const copy = Buffer.from(key);
      const wrapped = sealEnvelopeText(aead, dek.key, 'kek-v1-01a250ce', key, ['dek', 'd1', 'contacts', 'c1']);
      expect(stepwise(wrapped, 'kek-v1-01a250ce', ['dek', 'd1', 'contacts', 'c1'], 32)).toEqual(key);
      expect(key).toEqual(copy); // the caller's bytes are copied, not zeroed or kept
      for (const kid of ['k'.repeat(85), 'k'.repeat(86), 'ک'.repeat(85)]) {
        expect(stepwise(sealEnvelopeText(aead, dek.key, kid, 'x', context), kid, context, 1).toString()).toBe('x');
      }
      expect(() => sealEnvelopeText(aead, dek.key, 'k'.repeat(256), 'x', context)).toThrow(/key id too long/);
    });

    it('bind the context and the key id, use a fresh nonce each time, and leave earlier results intact', () => {
      const first = sealEnvelopeText(aead, dek.key, dek.id, 'same text', context);
      const second = sealEnvelopeText(aead, dek.key, dek.id, 'same text', context);
      expect(second).not.toBe(first);
      const nonce = (s: string): Buffer => Buffer.from(s, 'base64').subarray(3 + dek.id.length, 3 + dek.id.length + 12);
      expect(nonce(second)).not.toEqual(nonce(first));
      expect(openEnvelopeText(first, dek.key, context)).toBe('same text');
      expect(() => openEnvelopeText(first, dek.key, ['contacts', 'sealed', 'another-record'])).toThrow(DecryptError);
      expect(() => openEnvelopeText(first, dek.key, [])).toThrow(DecryptError);
      const relabelled = Buffer.from(first, 'base64');
      relabelled[3] = (relabelled[3] ?? 0) ^ 1; // another key id: the AAD no longer matches
      expect(() => openEnvelopeText(relabelled.toString('base64'), dek.key, context)).toThrow(DecryptError);
    });
  });
}

describe('sealing leaves no plaintext behind and refuses an ambiguous context', () => {
  const key = randomBytes(32);
  /** An AEAD that records the plaintext bytes it was handed (views into the scratch buffer) and may fail. */
  const spy = (fail: boolean): { aead: Aead; seen: Buffer[] } => {
    const seen: Buffer[] = [];
    const aead: Aead = {
      ...xchacha,
      seal(k, plaintext, aad) {
        seen.push(plaintext);
        if (fail) throw new Error('sealing failed');
        return xchacha.seal(k, plaintext, aad);
      },
      sealInto(k, plaintext, aad, out) {
        seen.push(plaintext);
        if (fail) throw new Error('sealing failed');
        xchacha.sealInto(k, plaintext, aad, out);
      },
    };
    return { aead, seen };
  };

  for (const [name, text] of [
    ['in the scratch buffer', 'SECRET-' + 'x'.repeat(100)],
    ['on the allocating path', 'SECRET-' + 'x'.repeat(4_001)],
  ] as const) {
    it(`zeroes the plaintext bytes ${name}, after success and after a failure`, () => {
      const ok = spy(false);
      const sealed = sealEnvelopeText(ok.aead, key, 'kid', text, context);
      expect(openEnvelopeText(sealed, key, context)).toBe(text);
      const failing = spy(true);
      expect(() => sealEnvelopeText(failing.aead, key, 'kid', text, context)).toThrow('sealing failed');
      for (const bytes of [...ok.seen, ...failing.seen]) {
        expect(bytes.length).toBe(Buffer.byteLength(text));
        expect(bytes.every((b) => b === 0)).toBe(true);
      }
    });
  }

  it('refuses a context part holding the separator, on both sealing paths', () => {
    const ambiguous = ['contacts', 'sealed', 'a\u001fb'];
    expect(() => sealEnvelopeText(xchacha, key, 'kid', 'x', ambiguous)).toThrow(/U\+001F/);
    expect(() => sealEnvelope(xchacha, key, 'kid', Buffer.from('x'), ambiguous)).toThrow(/U\+001F/);
    expect(() => sealValues(xchacha, { id: 'kid', key }, 'contacts', 'a\u001fb', { email: 'x' })).toThrow(/U\+001F/);
  });
});
