import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, json, type Harness } from '../support/harness.js';
import { testDialects } from '../support/dialects.js';
import { createUserWithToken } from '../support/identity.js';

/** Every byte the data directory holds (database, WAL, SHM, keyring, certificates …). */
function dataDirBytes(dir: string): Buffer {
  const parts: Buffer[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else parts.push(readFileSync(p));
    }
  };
  walk(dir);
  return Buffer.concat(parts);
}

const SECRETS = {
  email: 'zebulon.quartzfeather@example.org',
  phone: '+98 912 731 9468',
  phoneE164: '+989127319468',
  phoneLocal: '09127319468',
  nationalId: '0013542419',
  birthDate: '1931-07-13',
  address: 'Kuche-ye Yaghutzar 77, Shiraz',
  card: '4111111111111111',
  passport: 'PX99ZX7741',
};

for (const dialect of await testDialects()) {
  describe(`no plaintext personal data at rest (${dialect})`, () => {
    let h: Harness;
    let admin: { authorization: string };
    let rep: { authorization: string };
    let contactId = '';

    beforeAll(async () => {
      h = await startHarness(dialect);
      admin = (await createUserWithToken(h, { roles: ['admin'] })).headers;
      rep = (await createUserWithToken(h, { roles: ['sales-rep'] })).headers;
      const f = await h.app.inject({
        method: 'POST',
        url: '/api/v1/fields',
        headers: admin,
        payload: {
          object: 'contacts',
          key: 'passport',
          label: 'Passport',
          type: 'text',
          classification: 'restricted',
          searchable: true,
        },
      });
      expect(f.statusCode).toBe(201);
      const r = await h.app.inject({
        method: 'POST',
        url: '/api/v1/contacts',
        headers: rep,
        payload: {
          firstName: 'Zebulon',
          lastName: 'Quartz',
          email: SECRETS.email,
          phone: SECRETS.phone,
          nationalId: SECRETS.nationalId,
          birthDate: SECRETS.birthDate,
          address: SECRETS.address,
          paymentCard: SECRETS.card,
          custom: { passport: SECRETS.passport },
        },
      });
      expect(r.statusCode).toBe(201);
      contactId = (json(r) as { id: string }).id;
      // an update and a note with a card number in free text
      const upd = await h.app.inject({
        method: 'PATCH',
        url: `/api/v1/contacts/${contactId}`,
        headers: rep,
        payload: { title: 'Poet', version: 1 },
      });
      expect(upd.statusCode).toBe(200);
      const note = await h.app.inject({
        method: 'POST',
        url: '/api/v1/activities',
        headers: rep,
        payload: {
          type: 'note',
          subject: 'Called',
          body: `Customer read their card 4111-1111-1111-1111 aloud`,
          related: [{ type: 'contacts', id: contactId }],
        },
      });
      expect(note.statusCode).toBe(201);
      expect((json(note) as { body: string }).body).toBe('Customer read their card 411111******1111 aloud');
    });
    afterAll(async () => h?.close());

    it('still serves the values and finds them by exact lookup', async () => {
      const got = json(
        await h.app.inject({ method: 'GET', url: `/api/v1/contacts/${contactId}`, headers: rep }),
      ) as Record<string, unknown>;
      // an administrator sees the write-time masks, without the record being decrypted for it
      const masked = json(
        await h.app.inject({ method: 'GET', url: `/api/v1/contacts/${contactId}`, headers: admin }),
      ) as Record<string, unknown>;
      expect(masked).toMatchObject({
        email: 'z***@example.org',
        phone: '+98 *** 9468',
        nationalId: '******2419',
        birthDate: '****-**-**',
        paymentCard: '411111******1111',
        custom: { passport: '***' },
      });
      expect(got).toMatchObject({
        email: SECRETS.email,
        phone: SECRETS.phoneE164,
        nationalId: SECRETS.nationalId,
        birthDate: SECRETS.birthDate,
        address: SECRETS.address,
        paymentCard: '411111******1111',
        custom: { passport: SECRETS.passport },
      });
      for (const q of [
        `email=${encodeURIComponent(SECRETS.email.toUpperCase())}`,
        `phone=${SECRETS.phoneLocal}`,
        `phone=${encodeURIComponent('۰۹۱۲۷۳۱۹۴۶۸')}`,
        `nationalId=${SECRETS.nationalId}`,

        `custom.passport=${SECRETS.passport.toLowerCase()}`,
      ]) {
        const res = await h.app.inject({ method: 'GET', url: `/api/v1/contacts?${q}`, headers: admin });
        // exact lookups work for roles that see the field masked
        expect(res.statusCode, `${q} ${res.body}`).toBe(200);
        const page = json(res) as { items: { id: string }[] };
        expect(
          page.items.map((i) => i.id),
          q,
        ).toEqual([contactId]);
      }
      // a full-PAN lookup would turn the displayed first 6 + last 4 into an oracle for the whole number
      expect(
        (await h.app.inject({ method: 'GET', url: `/api/v1/contacts?paymentCard=${SECRETS.card}`, headers: admin }))
          .statusCode,
      ).toBe(400);
      const dup = await h.app.inject({
        method: 'POST',
        url: '/api/v1/contacts',
        headers: admin,
        payload: { firstName: 'Copy', email: SECRETS.email.toUpperCase() },
      });
      expect(dup.statusCode).toBe(409);
    });

    it('leaves none of the values in any file of the data dir, or in a pg_dump', async () => {
      const needles = [
        SECRETS.email,
        SECRETS.phoneE164,
        SECRETS.phoneLocal,
        '9127319468',
        SECRETS.nationalId,
        SECRETS.birthDate,
        SECRETS.address,
        SECRETS.card,
        SECRETS.passport,
        'zebulon.quartzfeather',
      ];
      let haystack: Buffer;
      if (dialect === 'sqlite') {
        await h.rt.close(); // checkpoint and close, as a stopped server would
        haystack = dataDirBytes(h.config.dataDir);
      } else {
        const url = h.config.databaseUrl ?? '';
        haystack = Buffer.concat([
          execFileSync('pg_dump', ['--no-owner', url], { maxBuffer: 256 * 1024 * 1024 }),
          dataDirBytes(h.config.dataDir),
        ]);
      }
      const text = haystack.toString('latin1');
      for (const n of needles) {
        expect(text.includes(n), `found ${n}`).toBe(false);
        expect(text.includes(Buffer.from(n, 'utf8').toString('latin1'))).toBe(false);
      }
      // the non-sensitive parts are there, so the scan really looked at the data
      expect(text.includes('Zebulon')).toBe(true);
    });
  });
}

describe('PCI: sensitive authentication data is refused', () => {
  it('refuses custom fields for CVV, PIN or track data, and track data as a card number', async () => {
    const h = await startHarness('sqlite');
    try {
      const admin = (await createUserWithToken(h, { roles: ['admin'] })).headers;
      for (const [key, label] of [
        ['cvv', 'CVV'],
        ['cardCvc', 'Security code'],
        ['x1', 'Track 2 data'],
        ['cardPin', 'Card PIN'],
      ] as const) {
        const r = await h.app.inject({
          method: 'POST',
          url: '/api/v1/fields',
          headers: admin,
          payload: { object: 'contacts', key, label, type: 'text', classification: 'pci' },
        });
        expect(r.statusCode, key).toBe(400);
      }
      const ok = await h.app.inject({
        method: 'POST',
        url: '/api/v1/fields',
        headers: admin,
        payload: {
          object: 'contacts',
          key: 'pinterest',
          label: 'Pinterest handle',
          type: 'text',
          classification: 'public',
        },
      });
      expect(ok.statusCode).toBe(201);
      const track = await h.app.inject({
        method: 'POST',
        url: '/api/v1/contacts',
        headers: admin,
        payload: { firstName: 'T', paymentCard: '%B4111111111111111^DOE/JOHN^2512101000000000000?' },
      });
      expect(track.statusCode).toBe(400);
      expect(track.body).not.toContain('4111111111111111');
    } finally {
      await h.close();
    }
  });
});
