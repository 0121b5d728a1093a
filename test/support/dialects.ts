import pg from 'pg';
import { randomBytes } from 'node:crypto';

export type TestDialect = 'sqlite' | 'postgres';

export const PG_ADMIN_URL = process.env.SEPAR_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let pgAvailable: boolean | undefined;

async function probePg(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The dialects an integration suite runs on. PostgreSQL joins when reachable; under CI=true it is
 * required, so a missing server fails the run instead of silently skipping half the suite.
 */
export async function testDialects(): Promise<TestDialect[]> {
  pgAvailable ??= await probePg();
  if (!pgAvailable && process.env.CI === 'true') {
    throw new Error(`PostgreSQL is required in CI but not reachable at ${PG_ADMIN_URL}`);
  }
  return pgAvailable ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A fresh PostgreSQL database for one suite; returns its URL and a dropper. */
export async function freshPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `separ_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
