import type { Command } from 'commander';
import { systemActor } from '../security/access/actor.js';
import type { ReviewSummary, ReviewView } from '../security/access/review/access-review.model.js';
import type { DormantAccount } from '../security/access/review/dormant-accounts.service.js';
import { CliError } from './cli-error.js';
import { withRuntime } from './context.js';
import { print, printJson } from './io.js';

/** The CLI acts as the system; decisions taken here are recorded as decided by 'cli'. */
const cli = () => systemActor('cli');

const days = (v: string): number => {
  if (!/^\d{1,3}$/.test(v)) throw new CliError(`'${v}' is not a whole number of days`);
  return Number(v);
};

function printSummary(r: ReviewSummary): void {
  const c = r.counts;
  print(
    `${r.id}  ${r.state.padEnd(6)}  ${r.name}  — ${c.total} users: ${c.certified} certified, ${c.revoked} revoked, ` +
      `${c.undecided} undecided${c.escalated > 0 ? `, ${c.escalated} escalated` : ''}; due ${r.dueAt}${r.overdue ? ' (OVERDUE)' : ''}`,
  );
}

function printReview(r: ReviewView): void {
  printSummary(r);
  for (const i of r.items) {
    const decision = i.decision ? `${i.decision} by ${i.decidedBy ?? '?'} at ${i.decidedAt ?? '?'}` : 'undecided';
    print(
      `  ${i.id}  ${i.email}  [${i.status}]  roles: ${i.roles.join(', ') || '(none)'}  ` +
        `capabilities: ${i.permissions.capabilities.join(', ') || '(none)'}  last activity: ${i.lastActivityAt ?? 'never'}  ` +
        `→ ${decision}${i.escalatedAt ? ' (escalated)' : ''}`,
    );
  }
  if (r.evidence) print(`evidence kept at ${r.closedAt ?? '?'}: sha256 ${r.evidenceSha256 ?? '?'}`);
}

function printAccounts(title: string, accounts: readonly (DormantAccount & { reason?: string })[]): void {
  print(`${title}: ${accounts.length}`);
  for (const a of accounts) {
    print(
      `  ${a.userId}  ${a.email}  idle ${a.idleDays} days (since ${a.idleSince})${a.reason ? `  — ${a.reason}` : ''}`,
    );
  }
}

/**
 * `separ access review start|list|show|decide|close` and `separ access dormant`: access reviews (ISO 27001 5.18)
 * and dormant accounts (PCI DSS 8.2.6) from the command line, as the system actor.
 */
export function accessCommand(program: Command): void {
  const access = program.command('access').description('access reviews and dormant accounts');
  const review = access.command('review').description('access-review campaigns: certify or revoke every user');

  review
    .command('start')
    .description('open a campaign listing every user with roles, teams, effective permissions and last activity')
    .option('--name <name>', 'campaign name')
    .option('--reviewer <email>', 'the reviewer (must hold the review-access capability); default: any holder')
    .option('--due-in <days>', 'days until the review is due (default 14)', days)
    .option('--escalate-after <days>', 'days after which undecided items escalate (default 7)', days)
    .option('--json', 'machine-readable output')
    .action(
      async (opts: { name?: string; reviewer?: string; dueIn?: number; escalateAfter?: number; json?: boolean }) => {
        const r = await withRuntime(async (rt) => {
          let reviewerId: string | undefined;
          if (opts.reviewer !== undefined) {
            const user = await rt.identity.users.findByEmail(opts.reviewer);
            if (!user) throw new CliError(`no user has the email '${opts.reviewer}'`);
            reviewerId = user.id;
          }
          return rt.access.reviews.start(cli(), {
            name: opts.name,
            reviewerId,
            dueInDays: opts.dueIn,
            escalateAfterDays: opts.escalateAfter,
          });
        });
        if (opts.json) printJson(r);
        else printReview(r);
      },
    );

  review
    .command('list')
    .description('campaigns, newest first')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const items = await withRuntime((rt) => rt.access.reviews.list(cli(), 200));
      if (opts.json) printJson({ items });
      else if (items.length === 0) print('No access reviews yet (start one with `separ access review start`).');
      else items.forEach(printSummary);
    });

  review
    .command('show')
    .description('a campaign with its items and, once closed, its evidence')
    .argument('<id>', 'campaign id')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { json?: boolean }) => {
      const r = await withRuntime((rt) => rt.access.reviews.get(cli(), id));
      if (opts.json) printJson(r);
      else printReview(r);
    });

  review
    .command('decide')
    .description("certify or revoke one user's access (revoking removes their roles and ends their sessions)")
    .argument('<id>', 'campaign id')
    .argument('<item>', 'item id')
    .option('--certify', 'the access is still needed')
    .option('--revoke', 'remove the access')
    .option('--comment <text>', 'why')
    .option('--json', 'machine-readable output')
    .action(
      async (
        id: string,
        item: string,
        opts: { certify?: boolean; revoke?: boolean; comment?: string; json?: boolean },
      ) => {
        if (opts.certify === opts.revoke) throw new CliError('give exactly one of --certify or --revoke');
        const decision = opts.certify ? 'certify' : 'revoke';
        const r = await withRuntime((rt) =>
          rt.access.reviews.decide(cli(), id, item, { decision, comment: opts.comment }),
        );
        if (opts.json) printJson(r);
        else
          print(
            `${r.email}: ${decision === 'certify' ? 'certified' : 'revoked'} (recorded as decided by ${r.decidedBy ?? 'cli'})`,
          );
      },
    );

  review
    .command('close')
    .description('close a campaign and keep its evidence (refused while items are undecided unless --force)')
    .argument('<id>', 'campaign id')
    .option('--force', 'close with undecided items (needs --reason)')
    .option('--reason <text>', 'why the campaign is closed with undecided items')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { force?: boolean; reason?: string; json?: boolean }) => {
      const r = await withRuntime((rt) =>
        rt.access.reviews.close(cli(), id, { force: opts.force === true, reason: opts.reason }),
      );
      if (opts.json) printJson(r);
      else printReview(r);
    });

  access
    .command('dormant')
    .description('report accounts with no sign-in or API use for 90 days; with --disable, disable them')
    .option('--disable', 'disable the dormant accounts (never the last active administrator)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { disable?: boolean; json?: boolean }) => {
      if (opts.disable) {
        const run = await withRuntime((rt) => rt.access.dormant.run(systemActor('cli')));
        if (opts.json) printJson(run);
        else {
          printAccounts(`Disabled (idle over ${run.dormantAfterDays} days)`, run.disabled);
          if (run.skipped.length > 0) printAccounts('Skipped', run.skipped);
        }
        return;
      }
      const report = await withRuntime((rt) => rt.access.dormant.report(systemActor('cli')));
      if (opts.json) printJson(report);
      else printAccounts(`Dormant accounts (idle over ${report.dormantAfterDays} days)`, report.accounts);
    });
}
