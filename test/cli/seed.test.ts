import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/index.js';
import { createRuntime, type Runtime } from '../../src/runtime/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { systemActor } from '../../src/security/access/index.js';
import type { CrmObjectName } from '../../src/security/classification/index.js';
import { checkDate, checkDateTime, checkValue } from '../../src/crm/records/field-values.js';
import {
  isCurrencyCode,
  luhnValid,
  maskCard,
  parseCardNumber,
  parseEmail,
  parseIban,
  parseIranNationalId,
  parsePhone,
} from '../../src/platform/formats/index.js';
import { companyDefinition } from '../../src/crm/companies/company.definition.js';
import { freshPgDatabase, testDialects } from '../support/dialects.js';
import { seedDatabase } from '../../src/cli/seed/seed.service.js';
import { SqliteSeedWriter } from '../../src/cli/seed/sqlite-writer.js';
import { PostgresSeedWriter } from '../../src/cli/seed/postgres-writer.js';
import type { SeedWriter } from '../../src/cli/seed/seed-model.js';

/** The real `separ` binary (dist is built by `npm test` before vitest runs). */
const BIN = fileURLToPath(new URL('../../bin/separ.js', import.meta.url));

type Rec = Record<string, unknown>;

/**
 * Run the CLI without blocking this process: a runtime open here keeps working (its audit trail may be in the
 * middle of a transaction the child would otherwise wait for, forever).
 */
function separ(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', SEPAR_LOG_LEVEL: 'error', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const CONTACTS = 300;
const ctx = { phoneRegion: 'IR' };
const actor = systemActor('seed-test');
const PERSIAN = /[\u0600-\u06FF]/;

/** A field that must be a string here. */
const str = (v: unknown): string => {
  if (typeof v !== 'string') throw new Error(`expected a string, got ${typeof v}`);
  return v;
};

/** The UUIDv7 timestamp (ms) of an id. */
const idMs = (id: string): number => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

/**
 * Contacts as the API lists them, with the values of their sealed envelope put back (whether an actor sees
 * restricted fields in clear or masked is the access policy's business, not the seed's).
 */
async function withSealedValues(rt: Runtime, items: Rec[]): Promise<Rec[]> {
  const raw = await rt.db.kysely
    .selectFrom('contacts as t')
    .leftJoin('subject_keys as sk', 'sk.dek_id', 't.sealed_kid')
    .select(['t.id', 't.sealed', 't.sealed_kid', 'sk.wrapped'])
    .execute();
  const opened = new Map(
    raw.map((r) => [
      r.id,
      r.sealed === null ? {} : (rt.crypto.open('contacts', r.id, r.sealed, String(r.sealed_kid), r.wrapped) ?? {}),
    ]),
  );
  return items.map((c) => ({ ...c, ...opened.get(String(c.id)) }));
}

/** The next `start` of a seed writer runs, then fails: its transaction open, as a failure late in `start` leaves it. */
function failOnceAfterStart(proto: SeedWriter): { mockRestore(): void } {
  const spy = vi.spyOn(proto, 'start');
  spy.mockImplementation(async function (this: SeedWriter) {
    spy.mockRestore();
    await this.start();
    throw new Error('injected failure after the seed transaction began');
  });
  return spy;
}

/** The settings of the runtime's own SQLite connection that the seed changes while it runs. */
async function connectionSettings(rt: Runtime): Promise<Rec> {
  const lease = rt.db.leaseSqlite;
  if (!lease) throw new Error('an SQLite runtime lends its connection');
  const l = await lease();
  try {
    const names = [
      'journal_mode',
      'synchronous',
      'foreign_keys',
      'cache_size',
      'threads',
      'busy_timeout',
      'temp_store',
    ];
    names.push('temp_store_directory'); // process-wide: the seed points it at the data directory while it sorts
    return Object.fromEntries(names.map((n) => [n, l.conn.pragma(n, { simple: true })]));
  } finally {
    l.release();
  }
}

async function listAll(rt: Runtime, object: CrmObjectName, query: Rec = {}): Promise<Rec[]> {
  const out: Rec[] = [];
  let cursor: string | undefined;
  do {
    const page = await rt.crm.records[object].list(actor, { ...query, limit: 200, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

describe('separ seed: argument checks', () => {
  it.each([['0'], ['1.5'], ['10000001']])('refuses --contacts %s with one line', async (n) => {
    const dir = mkdtempSync(join(tmpdir(), 'separ-seed-args-'));
    try {
      const r = await separ(['seed', '--contacts', n], { SEPAR_DATA_DIR: dir });
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/--contacts must be a whole number from 1 to 10,000,000/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

for (const dialect of await testDialects()) {
  describe(`separ seed (${dialect})`, () => {
    let dir = '';
    let env: Record<string, string> = {};
    let drop: (() => Promise<void>) | null = null;
    let rt: Runtime;
    let summary: Rec;
    let contacts: Rec[];

    beforeAll(async () => {
      if (!existsSync(fileURLToPath(new URL('../../dist/main.js', import.meta.url)))) {
        throw new Error('dist/ is missing: run `npm run build` (npm test does it) before the CLI tests');
      }
      dir = mkdtempSync(join(tmpdir(), 'separ-seed-'));
      env = { SEPAR_DATA_DIR: dir };
      if (dialect === 'postgres') {
        const pg = await freshPgDatabase();
        env.DATABASE_URL = pg.url;
        drop = pg.drop;
      }
      const r = await separ(['seed', '--contacts', String(CONTACTS), '--seed', '42', '--json'], env);
      expect(r.code, r.stderr).toBe(0);
      summary = JSON.parse(r.stdout) as Rec;
      rt = await createRuntime(loadConfig({ ...env, SEPAR_LOG_LEVEL: 'silent' }), {
        migrate: true,
        logger: createLogger('silent'),
      });
      contacts = await withSealedValues(rt, await listAll(rt, 'contacts'));
    }, 180_000);

    afterAll(async () => {
      await rt?.close();
      await drop?.();
      rmSync(dir, { recursive: true, force: true });
    });

    it('creates the requested numbers of records, owned by the seed sales reps', async () => {
      expect(summary).toMatchObject({ database: dialect, contacts: 300, companies: 30, deals: 75, activities: 150 });
      expect(summary.ownersCreated).toBe(10);
      expect(contacts).toHaveLength(300);
      expect(await listAll(rt, 'companies')).toHaveLength(30);
      expect(await listAll(rt, 'deals')).toHaveLength(75);
      expect(await listAll(rt, 'activities')).toHaveLength(150);
      const owner = await rt.identity.users.findByEmail('owner01@seed.separ.invalid');
      expect(owner?.roles).toEqual(['sales-rep']);
      const owners = new Set(contacts.map((c) => c.ownerId));
      expect(owners.size).toBeGreaterThan(5);
    });

    it('writes only contacts that pass the validators, in English and Persian', async () => {
      const companies = new Set((await listAll(rt, 'companies')).map((c) => c.id));
      let persian = 0;
      for (const c of contacts) {
        const email = String(c.email);
        expect(parseEmail(email)).toEqual({ ok: true, value: email });
        if (c.phone !== null) {
          expect(parsePhone(str(c.phone), 'IR')).toEqual({ ok: true, value: c.phone });
          expect(str(c.phone)).toMatch(/^\+(989|49|1)\d+$/);
        }
        if (c.nationalId !== null) {
          expect(parseIranNationalId(str(c.nationalId))).toEqual({ ok: true, value: c.nationalId });
        }
        if (c.birthDate !== null) expect(checkDate('birthDate', str(c.birthDate))).toBe(c.birthDate);
        for (const key of ['firstName', 'lastName', 'title']) {
          if (c[key] !== null) expect(checkValue(key, 'text', c[key], ctx, { maxLength: 200 })).toBe(c[key]);
        }
        if (c.address !== null)
          expect(checkValue('address', 'longtext', c.address, ctx, { maxLength: 1000 })).toBe(c.address);
        if (c.companyId !== null) expect(companies.has(c.companyId)).toBe(true);
        for (const at of [c.createdAt, c.updatedAt]) expect(checkDateTime('createdAt', String(at))).toBe(at);
        expect(c.version).toBe(1);
        expect(idMs(String(c.id))).toBe(Date.parse(String(c.createdAt)));
        if (PERSIAN.test(String(c.lastName))) persian++;
      }
      expect(new Set(contacts.map((c) => String(c.email).toLowerCase())).size).toBe(CONTACTS);
      expect(persian).toBeGreaterThan(CONTACTS * 0.35);
      expect(persian).toBeLessThan(CONTACTS * 0.65);
      const ages = contacts.map((c) => Date.parse(String(c.createdAt)));
      expect(Math.min(...ages)).toBeLessThan(Date.now() - 600 * 86_400_000);
      expect(Math.max(...ages)).toBeLessThan(Date.now());
    });

    it('writes only companies whose every field passes its validator (Iranian and German IBANs included)', async () => {
      const companies = await listAll(rt, 'companies');
      const ibans = { IR: 0, DE: 0 };
      for (const c of companies) {
        for (const spec of companyDefinition.fields) {
          const value = c[spec.key] ?? null;
          if (value === null) continue;
          expect(checkValue(spec.key, spec.type, value, ctx, spec), `${spec.key} ${JSON.stringify(value)}`).toEqual(
            value,
          );
        }
        if (typeof c.iban === 'string') {
          expect(parseIban(c.iban)).toEqual({ ok: true, value: c.iban });
          if (c.iban.startsWith('IR')) ibans.IR++;
          if (c.iban.startsWith('DE')) ibans.DE++;
        }
      }
      expect(ibans.IR).toBeGreaterThan(0);
      expect(ibans.DE).toBeGreaterThan(0);
    });

    it('stores personal data sealed, card numbers Luhn-valid and shown masked', async () => {
      const raw = await rt.db.kysely
        .selectFrom('contacts as t')
        .leftJoin('subject_keys as sk', 'sk.dek_id', 't.sealed_kid')
        .select(['t.id', 't.email', 't.email_lookup', 't.phone', 't.national_id', 't.address', 't.birth_date'])
        .select(['t.payment_card', 't.sealed', 't.sealed_kid', 'sk.wrapped'])
        .execute();
      expect(raw).toHaveLength(CONTACTS);
      let cards = 0;
      for (const r of raw) {
        expect([r.email, r.email_lookup, r.phone, r.national_id, r.address, r.birth_date]).toEqual([
          null,
          null,
          null,
          null,
          null,
          null,
        ]);
        const opened = rt.crypto.open('contacts', r.id, String(r.sealed), String(r.sealed_kid), r.wrapped);
        expect(opened?.email).toBeTypeOf('string');
        if (opened?.paymentCard !== undefined) {
          cards++;
          const pan = str(opened.paymentCard);
          expect(parseCardNumber(pan)).toEqual({ ok: true, value: pan });
          expect(luhnValid(pan)).toBe(true);
          expect(r.payment_card).toBe(maskCard(pan));
          const shown = await rt.crm.records.contacts.get(actor, r.id);
          expect(shown.paymentCard).toBe(maskCard(pan));
        } else {
          expect(r.payment_card).toBeNull();
        }
      }
      expect(cards).toBeGreaterThan(0);
      expect(cards).toBeLessThan(CONTACTS * 0.15);
    });

    it('finds seeded contacts by a Persian and an English last name (q) and by exact email', async () => {
      const fa = contacts.find((c) => PERSIAN.test(String(c.lastName)));
      const en = contacts.find((c) => /^[A-Za-z]/.test(String(c.lastName)));
      for (const c of [fa, en]) {
        expect(c).toBeDefined();
        const hits = await listAll(rt, 'contacts', { q: String(c?.lastName) });
        expect(hits.map((h) => h.id)).toContain(c?.id);
      }
      const target = contacts[137];
      const byEmail = await listAll(rt, 'contacts', { email: String(target?.email).toUpperCase() });
      expect(byEmail.map((h) => h.id)).toEqual([target?.id]);
      const byPhone = contacts.find((c) => c.phone !== null);
      expect((await listAll(rt, 'contacts', { phone: String(byPhone?.phone) })).map((h) => h.id)).toContain(
        byPhone?.id,
      );
    });

    it('puts deals in stages of their pipeline, with valid amounts and existing contacts', async () => {
      const deals = await listAll(rt, 'deals');
      const pipelines = await rt.crm.pipelines.list(actor);
      const stagesOf = new Map(pipelines.map((p) => [p.id, new Set(p.stages.map((s) => s.id))]));
      const contactIds = new Set(contacts.map((c) => c.id));
      const currencies = new Set<string>();
      for (const d of deals) {
        expect(stagesOf.get(String(d.pipelineId))?.has(String(d.stageId))).toBe(true);
        expect(Number.isSafeInteger(d.amount) && Number(d.amount) > 0).toBe(true);
        expect(isCurrencyCode(String(d.currency))).toBe(true);
        currencies.add(String(d.currency));
        if (d.closeDate !== null) expect(checkDate('closeDate', str(d.closeDate))).toBe(d.closeDate);
        for (const id of d.contactIds as string[]) expect(contactIds.has(id)).toBe(true);
        const linked = await listAll(rt, 'deals', { contactId: (d.contactIds as string[])[0] ?? 'none' });
        if ((d.contactIds as string[]).length > 0) expect(linked.map((x) => x.id)).toContain(d.id);
      }
      expect(currencies.size).toBeGreaterThanOrEqual(3);
    });

    it('links activities of all five types to existing records', async () => {
      const activities = await listAll(rt, 'activities');
      const types = new Set(activities.map((a) => a.type));
      expect([...types].sort()).toEqual(['call', 'email', 'meeting', 'note', 'task']);
      let links = 0;
      for (const a of activities) {
        if (a.type === 'task') expect(checkDateTime('dueAt', String(a.dueAt))).toBe(a.dueAt);
        for (const rel of a.related as { type: CrmObjectName; id: string }[]) {
          links++;
          const target = await rt.crm.records[rel.type].get(actor, rel.id);
          expect(target.id).toBe(rel.id);
          expect(Date.parse(String(target.createdAt))).toBeLessThanOrEqual(Date.parse(String(a.createdAt)));
          const timeline = await listAll(rt, 'activities', { relatedType: rel.type, relatedId: rel.id });
          expect(timeline.map((x) => x.id)).toContain(a.id);
        }
      }
      expect(links).toBe(summary.activityLinks);
      expect(activities.some((a) => a.type === 'task' && a.completedAt !== null)).toBe(true);
      expect(activities.some((a) => PERSIAN.test(String(a.body)))).toBe(true);
      expect(activities.some((a) => /^[A-Za-z]/.test(String(a.body)))).toBe(true);
    });

    it('keeps tags and their rows in step, and a second seed repeats no email', async () => {
      const tagged = contacts.filter((c) => (c.tags as string[]).length > 0);
      expect(tagged.length).toBeGreaterThan(0);
      const tag = (tagged[0]?.tags as string[])[0] ?? '';
      const byTag = await listAll(rt, 'contacts', { tag });
      expect(byTag.length).toBe(contacts.filter((c) => (c.tags as string[]).includes(tag)).length);
      const again = await separ(['seed', '--contacts', '20', '--companies', '2', '--json'], env);
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ contacts: 20, ownersCreated: 0 });
      const all = await withSealedValues(rt, await listAll(rt, 'contacts'));
      expect(all).toHaveLength(CONTACTS + 20);
      expect(new Set(all.map((c) => String(c.email).toLowerCase())).size).toBe(CONTACTS + 20);
    });

    it('stores each object exactly as the record service does for the same input', async () => {
      // Re-create one seeded record of each kind through the service (after deleting the seeded one, since
      // emails are unique among live records) and compare the stored rows column by column.
      const differs = new Set(['seq', 'id', 'created_at', 'updated_at', 'created_by', 'updated_by', 'deleted_at']);
      differs.add('sealed').add('sealed_kid').add('stage_changed_at').add('version');
      const raw = async (table: CrmObjectName, id: string): Promise<Rec> =>
        rt.db.kysely.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const blind = async (id: string): Promise<string[]> =>
        (await rt.db.kysely.selectFrom('blind_indexes').selectAll().where('record_id', '=', id).execute())
          .map((b) => `${b.object} ${b.field} ${b.epoch} ${b.value}`)
          .sort();
      const bodyKeys: Record<CrmObjectName, string[]> = {
        companies: ['name', 'domain', 'industry', 'size', 'taxId', 'iban', 'address'],
        contacts: [
          'firstName',
          'lastName',
          'email',
          'phone',
          'title',
          'companyId',
          'nationalId',
          'birthDate',
          'address',
        ],
        deals: ['title', 'amount', 'currency', 'pipelineId', 'stageId', 'closeDate', 'companyId', 'contactIds'],
        activities: ['type', 'subject', 'body', 'dueAt', 'completedAt', 'related'],
      };
      for (const object of ['companies', 'contacts', 'deals', 'activities'] as const) {
        const listed = await listAll(rt, object);
        const all = object === 'contacts' ? await withSealedValues(rt, listed) : listed;
        const seeded = all.find((r) => (r.tags as string[]).length > 0 && r.ownerId !== null) ?? all[0];
        if (!seeded) throw new Error(`no seeded ${object}`);
        const stored = await raw(object, str(seeded.id));
        const body: Rec = { ownerId: seeded.ownerId, tags: seeded.tags };
        for (const k of bodyKeys[object]) if (seeded[k] !== null) body[k] = seeded[k];
        if (object === 'contacts' && seeded.paymentCard !== null) body.paymentCard = seeded.paymentCard;
        await rt.crm.records[object].remove(actor, str(seeded.id), {});
        const created = await rt.crm.records[object].create(actor, body);
        const fresh = await raw(object, str(created.id));
        for (const column of Object.keys(fresh)) {
          if (!differs.has(column)) expect(stored[column], `${object}.${column}`).toEqual(fresh[column]);
        }
        expect(await blind(str(seeded.id))).toEqual(await blind(str(created.id)));
        expect(stored.sealed === null).toBe(fresh.sealed === null);
      }
    });

    it('writes outside the WAL only when it has the database to itself, and gives the connection back as it was', async () => {
      if (dialect !== 'sqlite') return;
      const settings = (): Promise<Rec> => connectionSettings(rt);
      const before = await settings();
      expect(before).toMatchObject({ journal_mode: 'wal', foreign_keys: 1 });
      // The built service: in this process its generator threads need the built worker file (vitest runs sources).
      const built = (await import(new URL('../../dist/cli/seed/seed.service.js', import.meta.url).href)) as {
        seedDatabase: typeof seedDatabase;
      };
      const seedLines = async (): Promise<string[]> => {
        const lines: string[] = [];
        await built.seedDatabase(rt, { contacts: 20, seed: 11, progress: (l) => lines.push(l) });
        return lines;
      };
      // Alone (the command's usual case; the file written by the CLI seed above is WAL again): rollback journal.
      expect((await seedLines()).some((l) => l.includes('write-ahead log'))).toBe(false);
      expect(await settings()).toEqual(before);
      expect(existsSync(`${rt.db.location}-journal`)).toBe(false);
      // Another connection has the file open (a running server): SQLite refuses the switch, the WAL is used.
      const other = new Database(rt.db.location);
      try {
        other.prepare('select count(*) from contacts').get();
        expect((await seedLines()).some((l) => l.includes('checkpointing the write-ahead log'))).toBe(true);
        expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
      } finally {
        other.close();
      }
      expect(await settings()).toEqual(before);
      // Foreign keys are enforced again on the runtime's connection: a contact of a company that does not exist.
      const owner = await rt.identity.users.findByEmail('owner04@seed.separ.invalid');
      await expect(
        rt.db.kysely
          .insertInto('deal_contacts')
          .values({ deal_id: 'no-such-deal', contact_id: String(owner?.id) })
          .execute(),
      ).rejects.toThrow(/FOREIGN KEY/);
    });

    it('keeps a committed seed, and a failure its own error, when the journal mode cannot go back to WAL', async () => {
      if (dialect !== 'sqlite') return;
      const before = await connectionSettings(rt);
      const lease = rt.db.leaseSqlite;
      if (!lease) throw new Error('an SQLite runtime lends its connection');
      const l = await lease();
      const conn = l.conn;
      l.release();
      // As when another process holds a read transaction past the busy timeout: the switch back is refused.
      const pragma = conn.pragma.bind(conn);
      let refusal = { message: 'database is locked', code: 'SQLITE_BUSY' };
      const refused = vi.spyOn(conn, 'pragma').mockImplementation((source, options) => {
        if (/^journal_mode\s*=\s*wal$/i.test(source)) throw Object.assign(new Error(refusal.message), refusal);
        return pragma(source, options);
      });
      const built = (await import(new URL('../../dist/cli/seed/seed.service.js', import.meta.url).href)) as {
        seedDatabase: typeof seedDatabase;
      };
      const backInWal = async (): Promise<void> => {
        refused.mockRestore();
        const again = await lease();
        try {
          again.conn.pragma('journal_mode = WAL');
        } finally {
          again.release();
        }
        expect(await connectionSettings(rt)).toEqual(before);
      };
      try {
        const before2 = (await listAll(rt, 'contacts')).length;
        const lines: string[] = [];
        const summary = await built.seedDatabase(rt, { contacts: 5, seed: 12, progress: (line) => lines.push(line) });
        expect(summary.contacts).toBe(5);
        expect(lines.some((line) => /left in delete mode for now/.test(line))).toBe(true);
        expect((await listAll(rt, 'contacts')).length).toBe(before2 + 5);
        // Everything but the journal mode is back, foreign keys first.
        const after = await connectionSettings(rt);
        expect({ ...after, journal_mode: 'wal' }).toEqual(before);
        // The seed that committed was audited as done.
        await rt.audit.service.settle();
        const seeded = await rt.db.kysely
          .selectFrom('audit_entries')
          .select('detail')
          .where('action', '=', 'records.seeded')
          .execute();
        expect(seeded.some((e) => String(e.detail).includes('"seed":12'))).toBe(true);

        // Back in WAL mode (past the refusal), for a seed that fails.
        const relet = await lease();
        try {
          pragma('journal_mode = WAL');
        } finally {
          relet.release();
        }
        expect(await connectionSettings(rt)).toEqual(before);
        // A failure: its own error reaches the caller; what could not be put back is said beside it.
        const failing = failOnceAfterStart(SqliteSeedWriter.prototype);
        const failLines: string[] = [];
        try {
          await expect(
            seedDatabase(rt, { contacts: 5, seed: 13, progress: (line) => failLines.push(line) }),
          ).rejects.toThrow(/injected failure/);
        } finally {
          failing.mockRestore();
        }
        expect(failLines.some((line) => /after the failure: left in delete mode for now/.test(line))).toBe(true);
        expect({ ...(await connectionSettings(rt)), journal_mode: 'wal' }).toEqual(before);
        expect((await listAll(rt, 'contacts')).length).toBe(before2 + 5);

        // Any other error putting the journal mode back: still said beside the failure, never instead of it.
        const relet2 = await lease();
        try {
          pragma('journal_mode = WAL');
        } finally {
          relet2.release();
        }
        refusal = { message: 'disk I/O error', code: 'SQLITE_IOERR' };
        const failingAgain = failOnceAfterStart(SqliteSeedWriter.prototype);
        const ioLines: string[] = [];
        try {
          await expect(
            seedDatabase(rt, { contacts: 5, seed: 14, progress: (line) => ioLines.push(line) }),
          ).rejects.toThrow(/injected failure/);
        } finally {
          failingAgain.mockRestore();
        }
        expect(
          ioLines.some((line) => /after the failure: could not put the connection back: disk I\/O/.test(line)),
        ).toBe(true);
        expect({ ...(await connectionSettings(rt)), journal_mode: 'wal' }).toEqual(before);
      } finally {
        await backInWal();
      }
    });

    it('rolls back a start that failed half-way, leaving no lock behind', async () => {
      // The writer's transaction is open (indexes dropped, the write lock held) when something fails after it.
      const spy =
        dialect === 'sqlite'
          ? failOnceAfterStart(SqliteSeedWriter.prototype)
          : failOnceAfterStart(PostgresSeedWriter.prototype);
      try {
        const before = await listAll(rt, 'contacts');
        const settings = dialect === 'sqlite' ? await connectionSettings(rt) : null;
        await expect(seedDatabase(rt, { contacts: 10, seed: 7, progress: () => undefined })).rejects.toThrow(
          /injected failure/,
        );
        // The connection the seed borrowed is back in WAL mode, foreign keys enforced, as it was lent.
        if (settings) expect(await connectionSettings(rt)).toEqual(settings);
        // Writable at once: with the transaction left open this would wait on the lock (SQLite: busy timeout).
        const owner = await rt.identity.users.findByEmail('owner03@seed.separ.invalid');
        const created = await rt.crm.records.contacts.create(actor, {
          ownerId: owner?.id,
          firstName: 'After',
          lastName: 'Failed-Start',
          email: 'after.failed.start@example.com',
        });
        await rt.crm.records.contacts.remove(actor, str(created.id), {});
        expect((await listAll(rt, 'contacts')).length).toBe(before.length);
      } finally {
        spy.mockRestore();
      }
    });

    it('moves staged blind-index rows into place whole, or rolls the seed back with its staging table', async () => {
      if (dialect !== 'sqlite') return;
      const lease = rt.db.leaseSqlite;
      if (!lease) throw new Error('an SQLite runtime lends its connection');
      const l = await lease();
      const conn = l.conn;
      l.release();
      const count = async (sqlText: string): Promise<number> => {
        const c = await lease();
        try {
          return Number(c.conn.prepare<[], { n: number }>(sqlText).get()?.n);
        } finally {
          c.release();
        }
      };
      // The built service: its generator threads run from dist.
      const built = (await import(new URL('../../dist/cli/seed/seed.service.js', import.meta.url).href)) as {
        seedDatabase: typeof seedDatabase;
      };
      const blindRows = 'select count(*) as n from blind_indexes';
      const stages = "select count(*) as n from sqlite_master where name like 'separ_seed_stage%'";
      const before = { blind: await count(blindRows), contacts: (await listAll(rt, 'contacts')).length };
      const settings = await connectionSettings(rt);
      // The failure comes where the staged rows go into blind_indexes, after every batch was written.
      const exec = conn.exec.bind(conn);
      let merges = 0;
      const columns = (table: string): unknown[] =>
        conn.prepare('select name, type, "notnull" from pragma_table_info(?) order by name').all(table);
      let staged: unknown[] = [];
      const failing = vi.spyOn(conn, 'exec').mockImplementation((source: string) => {
        if (/^insert into "blind_indexes"/.test(source)) {
          merges++;
          // Inside the seed's transaction: the staging table has the real one's columns, types and NOT NULLs.
          staged = columns('separ_seed_stage_blind_indexes');
          throw new Error('injected failure while merging the staged blind indexes');
        }
        return exec(source);
      });
      try {
        await expect(built.seedDatabase(rt, { contacts: 20, seed: 9, progress: () => undefined })).rejects.toThrow(
          /injected failure while merging/,
        );
      } finally {
        failing.mockRestore();
      }
      expect(merges).toBe(1);
      expect(staged).toEqual(columns('blind_indexes'));
      expect(staged).toHaveLength(5);
      expect(await count(blindRows)).toBe(before.blind);
      expect(await count(stages)).toBe(0);
      expect((await listAll(rt, 'contacts')).length).toBe(before.contacts);
      expect(await connectionSettings(rt)).toEqual(settings);
      // Unhindered, every staged row arrives (the schema check below compares the whole schema with a fresh one).
      // 6,000 contacts in batches of ~667: the contacts' full-text rows go in twice during the load (2,500 rows and
      // more waiting) and once at its end, the activities' once each (the schema check below compares every
      // full-text index with its table row for row, which a step starting one row off fails).
      const done = await built.seedDatabase(rt, { contacts: 6000, seed: 9, progress: () => undefined });
      expect(done.blindIndexes).toBeGreaterThan(6000);
      expect(await count(blindRows)).toBe(before.blind + done.blindIndexes);
      expect(await count(stages)).toBe(0);
      const seeded = (await listAll(rt, 'contacts')).slice(-1)[0];
      const full = seeded ? (await withSealedValues(rt, [seeded]))[0] : undefined;
      const email = typeof full?.email === 'string' ? full.email : '';
      expect(email).not.toBe('');
      expect((await listAll(rt, 'contacts', { email: email.toUpperCase() })).map((c) => c.id)).toEqual([seeded?.id]);
    });

    it('leaves the schema as migrations made it, and the search index live for new records', async () => {
      if (dialect === 'sqlite') {
        const fresh = mkdtempSync(join(tmpdir(), 'separ-seed-fresh-'));
        const other = await createRuntime(loadConfig({ SEPAR_DATA_DIR: fresh, SEPAR_LOG_LEVEL: 'silent' }), {
          migrate: true,
          logger: createLogger('silent'),
        });
        const schema = (r: Runtime): string[] => {
          const db = new Database(r.db.location, { readonly: true });
          try {
            return db
              .prepare<[], { type: string; name: string; sql: string | null }>(
                'select type, name, sql from sqlite_master',
              )
              .all()
              .map((o) => `${o.type} ${o.name} ${o.sql ?? ''}`)
              .sort();
          } finally {
            db.close();
          }
        };
        const db = new Database(rt.db.location);
        try {
          // The seed writes without per-row foreign-key checks and feeds the FTS tables itself: verify both, and
          // that every index it rebuilt holds exactly its table's rows.
          expect(db.prepare('pragma foreign_key_check').all()).toEqual([]);
          expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
          for (const t of ['companies', 'contacts', 'deals', 'activities']) {
            // rank 1: the index must also match its content table row for row (a missed range of rows fails).
            expect(() => db.exec(`insert into ${t}_fts(${t}_fts, rank) values ('integrity-check', 1)`)).not.toThrow();
            // Merges were off during the load: they are back at FTS5's defaults.
            const settings = Object.fromEntries(
              db
                .prepare<[], { k: string; v: unknown }>(`select k, v from ${t}_fts_config where k <> 'version'`)
                .all()
                .map((r) => [r.k, r.v]),
            );
            expect(settings).toEqual({ automerge: 4, crisismerge: 16 });
          }
        } finally {
          db.close();
        }
        try {
          expect(schema(rt)).toEqual(schema(other));
        } finally {
          await other.close();
          rmSync(fresh, { recursive: true, force: true });
        }
      }
      const owner = await rt.identity.users.findByEmail('owner02@seed.separ.invalid');
      const created = await rt.crm.records.contacts.create(actor, {
        firstName: 'Zarathustra',
        lastName: 'Quetzalcoatlova',
        email: 'zq@example.com',
        ownerId: owner?.id,
      });
      const hits = await listAll(rt, 'contacts', { q: 'Quetzalcoatl' });
      expect(hits.map((h) => h.id)).toEqual([created.id]);
    });
  });
}
