import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/index.js';
import { createRuntime, type Runtime } from '../../src/runtime/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { systemActor } from '../../src/security/access/index.js';
import { freshPgDatabase, testDialects } from '../support/dialects.js';

/**
 * The bulk writers (SQLite: explicit seq, batch-fed full-text rows, indexes rebuilt, fsync at the end; PostgreSQL:
 * unnest inserts, indexes rebuilt) store personal data exactly as the API does: sealed, reachable only through the
 * blind indexes, and nowhere in plaintext on disk.
 */
const BIN = fileURLToPath(new URL('../../bin/separ.js', import.meta.url));
const CONTACTS = 100;
const actor = systemActor('seed-at-rest-test');
const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹';
const toPersian = (s: string): string => s.replace(/\d/g, (d) => PERSIAN_DIGITS[Number(d)] ?? d);

type Sealed = { email?: string; phone?: string; nationalId?: string; birthDate?: string; address?: string };

function separ(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', SEPAR_LOG_LEVEL: 'error', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

function dataDirBytes(dir: string): Buffer {
  const parts: Buffer[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    parts.push(statSync(p).isDirectory() ? dataDirBytes(p) : readFileSync(p));
  }
  return Buffer.concat(parts);
}

for (const dialect of await testDialects()) {
  describe(`seeded contacts through the API, none at rest in plaintext (${dialect})`, () => {
    let dir = '';
    let env: Record<string, string> = {};
    let drop: (() => Promise<void>) | null = null;
    let rt: Runtime | null = null;
    /** id → the values sealed in its envelope, opened with the runtime's keys. */
    const sealed = new Map<string, Sealed>();

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'separ-seed-rest-'));
      env = { SEPAR_DATA_DIR: dir };
      if (dialect === 'postgres') {
        const pg = await freshPgDatabase();
        env.DATABASE_URL = pg.url;
        drop = pg.drop;
      }
      const r = await separ(['seed', '--contacts', String(CONTACTS), '--seed', '11'], env);
      expect(r.code, r.stderr).toBe(0);
      rt = await createRuntime(loadConfig({ ...env, SEPAR_LOG_LEVEL: 'silent' }), {
        migrate: true,
        logger: createLogger('silent'),
      });
      const rows = await rt.db.kysely
        .selectFrom('contacts as t')
        .innerJoin('subject_keys as sk', 'sk.dek_id', 't.sealed_kid')
        .select(['t.id', 't.sealed', 't.sealed_kid', 'sk.wrapped'])
        .execute();
      for (const row of rows) {
        if (row.sealed === null) continue;
        sealed.set(row.id, rt.crypto.open('contacts', row.id, row.sealed, String(row.sealed_kid), row.wrapped) ?? {});
      }
    }, 180_000);

    afterAll(async () => {
      await rt?.close();
      await drop?.();
      rmSync(dir, { recursive: true, force: true });
    });

    const ids = async (query: Record<string, string>): Promise<string[]> => {
      if (!rt) throw new Error('no runtime');
      const page = await rt.crm.records.contacts.list(actor, { ...query, limit: 200 });
      return page.items.map((c) => String(c.id));
    };

    it('seals every contact under its own subject key', () => {
      expect(sealed.size).toBe(CONTACTS);
      for (const v of sealed.values()) expect(typeof v.email).toBe('string');
    });

    it('finds seeded contacts by email, phone and national ID in the forms users type', async () => {
      const entries = [...sealed.entries()];
      const [emailId, email] = entries.map(([id, v]) => [id, v.email] as const)[42] ?? [];
      expect(await ids({ email: String(email).toUpperCase() })).toEqual([emailId]);
      const iranian = entries.find(([, v]) => v.phone?.startsWith('+98'));
      if (!iranian?.[1].phone) throw new Error('no Iranian phone seeded');
      const local = `0${iranian[1].phone.slice(3)}`;
      expect(await ids({ phone: local })).toContain(iranian[0]);
      expect(await ids({ phone: toPersian(local) })).toContain(iranian[0]);
      const withId = entries.find(([, v]) => typeof v.nationalId === 'string');
      if (!withId?.[1].nationalId) throw new Error('no national ID seeded');
      expect(await ids({ nationalId: toPersian(withId[1].nationalId) })).toContain(withId[0]);
      // a value nobody has finds nobody, even though blind-index buckets are shared
      expect(await ids({ email: 'nobody.at.all@example.invalid' })).toEqual([]);
    });

    it('leaves no email, phone, national ID, birth date or address in the data dir or a pg_dump', async () => {
      if (!rt) throw new Error('no runtime');
      await rt.close(); // checkpoint and close, as a stopped server would
      rt = null;
      const haystack =
        dialect === 'sqlite'
          ? dataDirBytes(dir)
          : Buffer.concat([
              execFileSync('pg_dump', ['--no-owner', env.DATABASE_URL ?? ''], { maxBuffer: 512 * 1024 * 1024 }),
              dataDirBytes(dir),
            ]);
      const text = haystack.toString('latin1');
      let needles = 0;
      for (const v of sealed.values()) {
        for (const n of [v.email, v.phone, v.phone?.startsWith('+98') ? `0${v.phone.slice(3)}` : undefined]) {
          if (n) needles++;
          if (n) expect(text.includes(n), `found ${n}`).toBe(false);
        }
        for (const n of [v.nationalId, v.birthDate, v.address]) {
          if (!n) continue;
          needles++;
          expect(text.includes(Buffer.from(n, 'utf8').toString('latin1')), 'found a sealed value').toBe(false);
        }
      }
      expect(needles).toBeGreaterThan(CONTACTS * 2);
      // the scan really read the data: the seed's owners and plaintext columns are there
      expect(text.includes('owner01@seed.separ.invalid')).toBe(true);
    });
  });
}
