import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken, type TestUser } from '../support/identity.js';
import { testDialects } from '../support/dialects.js';
import { systemActor } from '../../src/security/access/actor.js';
import type { AuditEventView } from '../../src/security/audit/index.js';
import { API, body, call, settle, verifyStandalone } from './support.js';

interface EventList {
  items: AuditEventView[];
  nextCursor: string | null;
}

for (const dialect of await testDialects()) {
  describe(`audit trail (${dialect})`, () => {
    let h: Harness;
    let admin: TestUser;
    let rep: TestUser;
    let auditor: TestUser;
    let officer: TestUser;
    const tmp = mkdtempSync(join(tmpdir(), 'separ-audit-'));

    beforeAll(async () => {
      h = await startHarness(dialect);
      admin = await createUserWithToken(h, { roles: ['admin'] });
      rep = await createUserWithToken(h, { roles: ['sales-rep'] });
      auditor = await createUserWithToken(h, { roles: ['auditor'] });
      officer = await createUserWithToken(h, { roles: ['security-officer'] });
    });
    afterAll(async () => {
      await h.close();
      rmSync(tmp, { recursive: true, force: true });
    });

    const search = async (who: TestUser, query: string): Promise<EventList> => {
      await settle(h);
      const res = await call(h.app, 'GET', `${API}/audit/events?${query}`, who.headers);
      expect(res.statusCode, res.body).toBe(200);
      return body<EventList>(res);
    };

    it('records who read a contact’s restricted fields: "who accessed this" names that user', async () => {
      const owner = await createUserWithToken(h, { roles: ['sales-rep'] });
      const created = await call(h.app, 'POST', `${API}/contacts`, admin.headers, {
        firstName: 'Leila',
        lastName: 'Karimi',
        email: 'leila.karimi@example.test',
        phone: '09121234567',
        ownerId: owner.userId,
      });
      expect(created.statusCode, created.body).toBe(201);
      const contact = body<{ id: string }>(created);

      // The owner (a sales rep) sees the restricted fields in clear, on the record and in a list.
      const read = await call(h.app, 'GET', `${API}/contacts/${contact.id}`, owner.headers);
      expect(read.statusCode).toBe(200);
      expect(body<{ email: string }>(read).email).toBe('leila.karimi@example.test');
      const list = await call(h.app, 'GET', `${API}/contacts?limit=50`, owner.headers);
      expect(list.statusCode).toBe(200);
      // An administrator sees them masked and reveals one, with a reason.
      const masked = await call(h.app, 'GET', `${API}/contacts/${contact.id}`, admin.headers);
      expect(body<{ email: string }>(masked).email).toMatch(/^l\*+@example\.test$/);
      const reveal = await call(h.app, 'POST', `${API}/contacts/${contact.id}/reveal`, admin.headers, {
        fields: ['email'],
        reason: 'Customer asked to confirm the address on file',
      });
      expect(reveal.statusCode, reveal.body).toBe(200);

      const who = await search(auditor, `targetId=${contact.id}`);
      const reads = who.items.filter((e) => e.action === 'record.sensitive_read' && e.actor.id === owner.userId);
      expect(reads.length).toBeGreaterThanOrEqual(2);
      for (const r of reads) {
        expect(r.actor).toEqual({ type: 'token', id: owner.userId });
        const detail = r.detail as { object: string; reads: { fields: string[]; ids: string[] }[] };
        expect(detail.object).toBe('contacts');
        const mine = detail.reads.find((x) => x.ids.includes(contact.id));
        expect(mine?.fields).toEqual(expect.arrayContaining(['email', 'phone']));
        expect(mine).toHaveProperty('masked', []);
      }
      // The administrator's view of the masks is recorded as that: no field named as seen in clear.
      const maskedViews = who.items.filter((e) => e.action === 'record.sensitive_read' && e.actor.id === admin.userId);
      expect(maskedViews.map((e) => e.detail)).toEqual([
        { object: 'contacts', reads: [{ fields: [], masked: ['email', 'phone'], ids: [contact.id] }] },
      ]);
      const revealed = who.items.find((e) => e.action === 'record.revealed');
      expect(revealed?.actor.id).toBe(admin.userId);
      expect(revealed?.detail).toMatchObject({
        fields: ['email'],
        reason: 'Customer asked to confirm the address on file',
      });
      expect(who.items.some((e) => e.action === 'record.created' && e.actor.id === admin.userId)).toBe(true);
      // Values are never in the log's readable detail.
      expect(JSON.stringify(who.items)).not.toContain('leila.karimi');
      expect(JSON.stringify(who.items)).not.toContain('9121234567');
    });

    it('keeps field-level before/after: clear for ordinary fields, sealed under the contact’s key for restricted ones', async () => {
      const created = await call(h.app, 'POST', `${API}/contacts`, rep.headers, {
        firstName: 'Omid',
        lastName: 'Rahimi',
        title: 'Engineer',
        email: 'omid.before@example.test',
      });
      const contact = body<{ id: string; version: number }>(created);
      const patched = await call(
        h.app,
        'PATCH',
        `${API}/contacts/${contact.id}`,
        { ...rep.headers, 'if-match': `"${contact.version}"` },
        { title: 'Lead engineer', email: 'omid.after@example.test' },
      );
      expect(patched.statusCode, patched.body).toBe(200);
      const events = await search(officer, `targetId=${contact.id}&action=record.updated`);
      const upd = events.items[0];
      expect(upd?.actor.id).toBe(rep.userId);
      const detail = upd?.detail as {
        changes: Record<string, { before: unknown; after: unknown }>;
        sealed: { fields: string[]; ct: string; subject: { type: string; id: string } };
      };
      expect(detail.changes.title).toEqual({ before: 'Engineer', after: 'Lead engineer' });
      expect(detail.changes.email).toBeUndefined();
      expect(detail.sealed.fields).toEqual(['email']);
      expect(detail.sealed.ct).toBe('[sealed]');

      // In the database the ciphertext opens only with the contact's key …
      const row = await h.rt.audit.service.repo.entry(upd?.id ?? 0);
      expect(row?.detail).not.toContain('omid.before');
      expect(row?.detail).not.toContain('omid.after');
      const ct = (JSON.parse(row?.detail ?? '{}') as { sealed: { ct: string } }).sealed.ct;
      const opened = await h.rt.crypto.openForSubject('contacts', contact.id, ['audit'], ct);
      expect(JSON.parse(opened?.toString() ?? 'null')).toEqual({
        email: { before: 'omid.before@example.test', after: 'omid.after@example.test' },
      });
      // The creation's entry too, sealed with the key the contact was just created with (not read back).
      const creation = (await search(officer, `targetId=${contact.id}&action=record.created`)).items[0];
      const createdRow = await h.rt.audit.service.repo.entry(creation?.id ?? 0);
      expect(createdRow?.detail).not.toContain('omid.before');
      const createdCt = (JSON.parse(createdRow?.detail ?? '{}') as { sealed: { ct: string } }).sealed.ct;
      const openedCreation = await h.rt.crypto.openForSubject('contacts', contact.id, ['audit'], createdCt);
      expect(JSON.parse(openedCreation?.toString() ?? 'null')).toEqual({
        email: { before: null, after: 'omid.before@example.test' },
      });
      // … and crypto-shredding the contact erases both, while the log still verifies.
      await h.rt.crypto.destroySubject('contacts', contact.id);
      expect(await h.rt.crypto.openForSubject('contacts', contact.id, ['audit'], ct)).toBeNull();
      expect(await h.rt.crypto.openForSubject('contacts', contact.id, ['audit'], createdCt)).toBeNull();
      const report = await h.rt.audit.operations.verify(systemActor('test'));
      expect(report.firstBad).toBeNull();
      expect(report.ok).toBe(true);
    });

    it('keeps a company’s IBAN and tax ID (confidential) out of the readable log and the SIEM, sealed under its key', async () => {
      const iban = 'DE89370400440532013000';
      const created = await call(h.app, 'POST', `${API}/companies`, admin.headers, {
        name: 'Audit Bank GmbH',
        taxId: 'TAX-123-SECRET',
        iban,
      });
      expect(created.statusCode, created.body).toBe(201);
      const company = body<{ id: string; version: number }>(created);
      const patched = await call(
        h.app,
        'PATCH',
        `${API}/companies/${company.id}`,
        { ...admin.headers, 'if-match': `"${company.version}"` },
        { iban: 'IR820540102680020817909002', name: 'Audit Bank AG' },
      );
      expect(patched.statusCode, patched.body).toBe(200);
      const events = await search(officer, `targetId=${company.id}`);
      const text = JSON.stringify(events.items);
      for (const secret of [iban, 'TAX-123-SECRET', 'IR820540102680020817909002', '0532013000'])
        expect(text).not.toContain(secret);
      const upd = events.items.find((e) => e.action === 'record.updated');
      const detail = upd?.detail as { changes: Record<string, unknown>; sealed: { fields: string[] } };
      // An internal field keeps its before/after in the detail; the confidential one is only named.
      expect(detail.changes.name).toEqual({ before: 'Audit Bank GmbH', after: 'Audit Bank AG' });
      expect(detail.changes.iban).toBeUndefined();
      expect(detail.sealed.fields).toEqual(['iban']);
      // What is stored (and what the SIEM formats from) holds neither value; the company's key opens them.
      const row = await h.rt.audit.service.repo.entry(upd?.id ?? 0);
      expect(row?.detail).not.toContain('0532013000');
      const ct = (JSON.parse(row?.detail ?? '{}') as { sealed: { ct: string } }).sealed.ct;
      const opened = await h.rt.crypto.openForSubject('companies', company.id, ['audit'], ct);
      expect(JSON.parse(opened?.toString() ?? 'null')).toEqual({
        iban: { before: iban, after: 'IR820540102680020817909002' },
      });
    });

    it('lets only auditors and security officers read the log, and records every access, refused ones too', async () => {
      for (const who of [admin, rep]) {
        const res = await call(h.app, 'GET', `${API}/audit/events`, who.headers);
        expect(res.statusCode).toBe(403);
      }
      const denied = await search(auditor, `action=audit.access_denied&actorId=${rep.userId}`);
      expect(denied.items.length).toBeGreaterThanOrEqual(1);
      expect(denied.items[0]?.outcome).toBe('failure');
      const searches = await search(officer, `action=audit.search&actorId=${auditor.userId}`);
      expect(searches.items.length).toBeGreaterThanOrEqual(1);
      expect(searches.items[0]?.actor).toEqual({ type: 'token', id: auditor.userId });
      // No route edits or deletes an entry.
      for (const method of ['PATCH', 'DELETE', 'PUT', 'POST'] as const) {
        const res = await call(h.app, method, `${API}/audit/events/1`, officer.headers, {});
        expect([404, 405]).toContain(res.statusCode);
      }
    });

    it('filters by actor, action prefix, outcome and time range, and pages with a cursor', async () => {
      const from = new Date(Date.now() - 60_000).toISOString();
      const page1 = await search(auditor, `action=auth.*&limit=2&from=${encodeURIComponent(from)}`);
      void page1;
      const all = await search(auditor, `actorType=system&limit=3`);
      expect(all.items.every((e) => e.actor.type === 'system')).toBe(true);
      expect(all.items.length).toBe(3);
      expect(all.nextCursor).not.toBeNull();
      const next = await search(auditor, `actorType=system&limit=3&cursor=${all.nextCursor ?? ''}`);
      expect(Math.max(...next.items.map((e) => e.id))).toBeLessThan(Math.min(...all.items.map((e) => e.id)));
      const future = await search(auditor, `from=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`);
      expect(future.items).toEqual([]);
      const failures = await search(auditor, 'outcome=failure');
      expect(failures.items.every((e) => e.outcome === 'failure')).toBe(true);
      const bad = await call(h.app, 'GET', `${API}/audit/events?unknown=1`, auditor.headers);
      expect(bad.statusCode).toBe(400);
    });

    it('escapes control characters so input can never split or forge an entry', async () => {
      const res = await call(h.app, 'GET', `${API}/contacts`, {
        ...rep.headers,
        'user-agent': 'evil\r\n<13>1 2026-01-01T00:00:00Z forged separ - - - fake entry\u0000',
      });
      expect(res.statusCode).toBe(200);
      await h.rt.audit.service.durable({
        ...h.rt.audit.service.system(),
        action: 'test.input\nforged',
        detail: { note: 'line1\nline2\u2028\u001b[31m', nested: { 'k\ny': ['\r'] } },
      });
      // Cut where an emoji straddles the limit: half a surrogate pair would be stored as U+FFFD and the entry
      // would no longer hash as written (the verification below would report tampering).
      await h.rt.audit.service.durable({
        ...h.rt.audit.service.system(),
        action: 'test.long',
        userAgent: `${'a'.repeat(511)}😀`,
        detail: { note: `${'b'.repeat(4095)}😀` },
      });
      await settle(h);
      const rows = await h.rt.db.kysely
        .selectFrom('audit_entries')
        .selectAll()
        .where((eb) => eb.or([eb('user_agent', 'like', 'evil%'), eb('action', 'like', 'test.input%')]))
        .execute();
      expect(rows.length).toBeGreaterThanOrEqual(1);
      for (const r of rows) {
        const control = (s: string): boolean =>
          [...s].some((ch) => {
            const c = ch.codePointAt(0) ?? 0;
            return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029;
          });
        for (const v of [r.user_agent ?? '', r.action, r.detail]) expect(control(v)).toBe(false);
      }
      expect(rows.some((r) => r.action === 'test.input\\u000aforged')).toBe(true);
    });

    it('verifies untouched, exports, and an outsider’s verifier agrees; inclusion and consistency proofs check out', async () => {
      await settle(h);
      const report = await h.rt.audit.operations.verify(systemActor('test'));
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.entries).toBeGreaterThan(20);

      const dir = join(tmp, 'export');
      const exported = await h.rt.audit.operations.export(systemActor('test'), dir);
      expect(exported.entries).toBeGreaterThan(20);
      const keyFile = join(tmp, 'pinned.pub');
      writeFileSync(keyFile, `${h.rt.audit.service.verifierKey}\n`);
      const outsider = verifyStandalone([dir, '--key', keyFile, '--json']);
      expect(outsider.code, outsider.stdout + outsider.stderr).toBe(0);
      expect((JSON.parse(outsider.stdout) as { ok: boolean; entries: number }).entries).toBe(exported.entries);
      expect(readFileSync(join(dir, 'audit-key.pub'), 'utf8').trim()).toBe(h.rt.audit.service.verifierKey);

      const proofRes = await call(h.app, 'GET', `${API}/audit/events/3/proof`, auditor.headers);
      expect(proofRes.statusCode, proofRes.body).toBe(200);
      const proofFile = join(tmp, 'proof.json');
      writeFileSync(proofFile, proofRes.body);
      expect(verifyStandalone(['--proof', proofFile, '--key', keyFile]).code).toBe(0);
      const forged = body<{ entry: string }>(proofRes);
      writeFileSync(proofFile, JSON.stringify({ ...forged, entry: forged.entry.replace('"v":1', '"v":1 ') }));
      expect(verifyStandalone(['--proof', proofFile, '--key', keyFile]).code).toBe(1);

      // An outsider who kept an older checkpoint asks for proof that today's log extends it.
      const older = (await h.rt.audit.service.repo.checkpoints())[1];
      const cons = await call(h.app, 'GET', `${API}/audit/consistency?fromSize=${older?.tree_size}`, officer.headers);
      expect(cons.statusCode, cons.body).toBe(200);
      const consFile = join(tmp, 'consistency.json');
      writeFileSync(consFile, cons.body);
      expect(verifyStandalone(['--consistency', consFile, '--key', keyFile]).code).toBe(0);
    });

    it('refuses UPDATE, DELETE (and TRUNCATE) on the log in the database itself', async () => {
      const db = h.rt.db.kysely;
      await expect(sql`update audit_entries set action = 'x' where seq = 1`.execute(db)).rejects.toThrow(/APPEND_ONLY/);
      await expect(sql`delete from audit_entries where seq = 1`.execute(db)).rejects.toThrow(/APPEND_ONLY/);
      await expect(sql`delete from audit_checkpoints`.execute(db)).rejects.toThrow(/APPEND_ONLY/);
      await expect(sql`update audit_refs set ref_id = 'x'`.execute(db)).rejects.toThrow(/APPEND_ONLY/);
      await expect(sql`update audit_keys set public_key = 'x'`.execute(db)).rejects.toThrow(/APPEND_ONLY/);
      // What identifies and verifies a signing key never changes (only its sealed private half, when a key
      // rotation re-seals it), nor can a key be deleted.
      for (const change of [sql`update audit_keys set name = 'x'`, sql`update audit_keys set key_id = 'x'`])
        await expect(change.execute(db)).rejects.toThrow(/APPEND_ONLY/);
      await expect(sql`delete from audit_keys`.execute(db)).rejects.toThrow(/APPEND_ONLY/);
      if (dialect === 'postgres') {
        await expect(sql`truncate audit_entries`.execute(db)).rejects.toThrow(/APPEND_ONLY/);
      }
    });

    it('changes retention only upward of 12 months, as a security officer, and records the change', async () => {
      const low = await call(h.app, 'PUT', `${API}/audit/retention`, officer.headers, { months: 6 });
      expect(low.statusCode).toBe(400);
      const byAuditor = await call(h.app, 'PUT', `${API}/audit/retention`, auditor.headers, { months: 24 });
      expect(byAuditor.statusCode).toBe(403);
      const ok = await call(h.app, 'PUT', `${API}/audit/retention`, officer.headers, { months: 24 });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(body<{ months: number }>(ok).months).toBe(24);
      const changes = await search(auditor, 'action=audit.retention.update');
      expect(changes.items[0]?.detail).toMatchObject({ before: 12, after: 24 });
      expect(changes.items[0]?.actor.id).toBe(officer.userId);
    });
  });
}
