import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Harness } from '../support/harness.js';
import type { AuditInput } from '../../src/security/audit/canonical.js';

export const API = '/api/v1';
const BIN = fileURLToPath(new URL('../../bin/separ.js', import.meta.url));
export const VERIFIER = fileURLToPath(new URL('../../tools/verify-audit.mjs', import.meta.url));

export async function call(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  headers: Record<string, string>,
  payload?: unknown,
): Promise<LightMyRequestResponse> {
  return app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
}

export const body = <T>(res: LightMyRequestResponse): T => JSON.parse(res.body) as T;

/** Runs the real `separ` binary against a harness's database. */
export function separ(h: Harness, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      SEPAR_LOG_LEVEL: 'error',
      SEPAR_DATA_DIR: h.config.dataDir,
      SEPAR_PUBLIC_URL: h.config.publicUrl,
      ...(h.config.databaseUrl ? { DATABASE_URL: h.config.databaseUrl } : {}),
    },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the standalone verifier (node:crypto only) on an export directory or a proof file. */
export function verifyStandalone(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [VERIFIER, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What an attacker with write access to the database file does first: remove the guards. */
export async function dropAuditGuards(h: Harness): Promise<void> {
  const db = h.rt.db.kysely;
  const tables = ['audit_entries', 'audit_refs', 'audit_tree_nodes', 'audit_checkpoints', 'audit_archives'];
  for (const t of tables) {
    if (h.rt.db.dialect === 'sqlite') {
      await sql.raw(`drop trigger if exists ${t}_no_update`).execute(db);
      await sql.raw(`drop trigger if exists ${t}_no_delete`).execute(db);
    } else {
      await sql.raw(`drop trigger if exists ${t}_append_only on ${t}`).execute(db);
      await sql.raw(`drop trigger if exists ${t}_no_truncate on ${t}`).execute(db);
    }
  }
}

/** Let queued audit entries reach the database. */
export async function settle(h: Harness): Promise<void> {
  await h.rt.audit.service.flush();
}

/** A system entry for tests that append directly (`thing` t<i>, detail { i }). */
export const auditInput = (at: string, i: number, action = 'test.event'): AuditInput => ({
  at,
  actor: { type: 'system', id: null },
  action,
  target: { type: 'thing', id: `t${i}` },
  outcome: 'success',
  ip: null,
  userAgent: null,
  requestId: null,
  detail: { i },
});
