import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config/index.js';
import { createRuntime, type Runtime } from '../../src/runtime/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { maskValue, MASK_RULES, systemActor } from '../../src/security/access/index.js';

/*
 * What a mask leaves open is what anyone who sees masks — or holds a copy of the database — can guess from. A review
 * found short phone numbers shown all but one digit (`+45 123 *** 5678` of an 8-digit Danish number) and free text
 * keeping its first letter.
 */
describe('mask rules', () => {
  const hidden = (e164: string): number => {
    const m = maskValue('phone', e164);
    const shown = m.replace(/\D/g, '').length;
    return e164.replace(/\D/g, '').length - shown;
  };

  it('hides at least five digits of every phone number, whatever its length or country code', () => {
    expect(maskValue('phone', '+989121234567')).toBe('+98 *** 4567');
    expect(maskValue('phone', '+4512345678')).toBe('+45 *** 78');
    expect(maskValue('phone', '+6581234567')).toBe('+65 *** 67');
    expect(maskValue('phone', '+97433123456')).toBe('+974 *** 56');
    // Calling codes it does not know are guessed as two digits: still five hidden.
    for (const n of ['+85291234567', '+35799123456', '+4915112345678', '+12025550123', '+3541234567', '+6831234'])
      expect(hidden(n), n).toBeGreaterThanOrEqual(5);
  });

  it('shows nothing of restricted free text', () => {
    expect(maskValue('text', 'HIV positive')).toBe('***');
    expect(maskValue('text', 'پرونده')).toBe('***');
  });
});

describe('masks stored under older rules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'separ-mask-rules-'));
  const env = { SEPAR_DATA_DIR: dir, SEPAR_LOG_LEVEL: 'silent' };
  // `serve` re-writes stored masks; a CLI command (maskRefresh off) only records the rules on an empty database.
  const open = (maskRefresh: boolean): Promise<Runtime> =>
    createRuntime(loadConfig(env), {
      migrate: true,
      logger: createLogger('silent'),
      rotationSettleMs: 0,
      maskRefresh,
    });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are re-written once after an upgrade, without a version change', async () => {
    const rt = await open(false);
    // A fresh installation records the rules at once, even from a CLI command (`init`): nothing to re-write, and a
    // server started after `init` and `seed` re-writes nothing either.
    const rules = async (r: Runtime) =>
      (await sql<{ value: string }>`select value from settings where key = 'mask_rules'`.execute(r.db.kysely)).rows[0]
        ?.value;
    expect(await rules(rt)).toBe(MASK_RULES);
    const sys = systemActor('test');
    const owner = await rt.identity.users.createUser(sys, { email: 'o@example.com', name: 'O', roles: ['admin'] });
    const c = await rt.crm.records.contacts.create(sys, {
      firstName: 'Nika',
      phone: '+4512345678',
      email: 'nika@example.dk',
      ownerId: owner.id,
    });
    const id = String(c.id);
    // As an older version stored it: the phone's prefix and last four, the rules not yet recorded.
    const old = JSON.stringify({ phone: '+45 123 *** 5678', email: 'n***@example.dk' });
    await sql`update contacts set masks = ${old} where id = ${id}`.execute(rt.db.kysely);
    await sql`delete from settings where key = 'mask_rules'`.execute(rt.db.kysely);
    await rt.close();

    // A CLI command leaves the old masks alone (it must not sit re-writing the database before it exits) …
    const cli = await open(false);
    const still = (await sql<{ masks: string }>`select masks from contacts where id = ${id}`.execute(cli.db.kysely))
      .rows[0];
    await cli.close();
    expect(JSON.parse(still?.masks ?? '{}')).toMatchObject({ phone: '+45 123 *** 5678' });
    // … a server re-writes them, in the background.
    const rt2 = await open(true);
    await rt2.crm.storage.idle();
    const row = (
      await sql<{ masks: string; version: number }>`select masks, version from contacts where id = ${id}`.execute(
        rt2.db.kysely,
      )
    ).rows[0];
    expect(JSON.parse(row?.masks ?? '{}')).toMatchObject({ phone: '+45 *** 78', email: 'n***@example.dk' });
    expect(Number(row?.version)).toBe(Number(c.version));
    expect(await rules(rt2)).toBe(MASK_RULES);
    // The record still reads and is found as before.
    expect((await rt2.crm.records.contacts.get(sys, id)).phone).toBe('+4512345678');
    expect((await rt2.crm.records.contacts.list(sys, { phone: '+4512345678' })).items.map((x) => x.id)).toEqual([id]);
    await rt2.close();
  });
});
