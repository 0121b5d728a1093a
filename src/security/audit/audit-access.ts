import { forbidden } from '../../platform/app-error.js';
import type { Actor } from '../access/actor.js';
import { hasCapability } from '../access/index.js';

/**
 * Who may see the audit log: whoever holds the `read-audit` capability (built-in: `auditor` and
 * `security-officer`); retention is `manage-audit` (built-in: `security-officer`). Separation of duties:
 * `admin` manages users, roles, fields and settings — the very actions the log holds to account — and
 * does not read it by default (granting an admin the auditor role is itself an audited change). Nobody
 * edits it: there is no API, CLI or service method that could. The decision itself is the access module's
 * (`hasCapability`), so role policies changed by an administrator apply here too; a scoped API token needs
 * `admin:read-audit` (or `*`). The system actor (CLI `audit verify|export`) is an operator on the machine.
 */
export function canReadAudit(actor: Actor): boolean {
  return actor.kind === 'system' || hasCapability(actor, 'read-audit');
}

export function requireAuditRead(actor: Actor): void {
  if (!canReadAudit(actor))
    throw forbidden('Reading the audit log needs the read-audit capability (auditor, security officer).');
}

export function requireAuditManage(actor: Actor): void {
  if (actor.kind === 'system' || hasCapability(actor, 'manage-audit')) return;
  throw forbidden('Changing audit retention needs the manage-audit capability (security officer).');
}
