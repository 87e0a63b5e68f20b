import type { Command } from 'commander';
import { AUDIT_ACTIONS, auditQuerySchema, parseInput, type AuditEntryDto } from '@nflab/contracts';
import { auditEntryDto, listAuditEntries } from '@nflab/store';
import { contextFrom } from '../context.js';
import { formatTable } from '../output.js';

/** `nflab audit ls`: read the audit log (who did what, from where, how it ended), newest first. */
export const auditCommand = (program: Command): void => {
  const audit = program.command('audit').description('the audit log of security-relevant events');
  audit
    .command('ls')
    .description('list audit entries, newest first')
    .option(
      '--since <iso>',
      'entries at or after this date or date-time (e.g. 2026-12-01 or 2026-12-01T09:00:00Z)',
    )
    .option('--user <name>', 'only this actor (a username, or cli:<os user> for CLI commands)')
    .option('--action <action>', `only this action: ${AUDIT_ACTIONS.join(', ')}`)
    .option('--limit <n>', 'at most this many entries', '100')
    .action(
      async (
        options: { since?: string; user?: string; action?: string; limit: string },
        command: Command,
      ) => {
        const { out, withDb } = contextFrom(command);
        // The API's query schema field by field, so the CLI and GET /api/audit accept the same
        // input and an error names the flag.
        const field = auditQuerySchema.shape;
        const query = {
          since: parseInput(field.since, options.since, '--since'),
          user: parseInput(field.user, options.user, '--user'),
          action: parseInput(field.action, options.action, '--action'),
          limit: parseInput(field.limit, options.limit, '--limit'),
        };
        const rows = await withDb((db) =>
          listAuditEntries(db, {
            ...(query.since === undefined ? {} : { since: new Date(query.since) }),
            ...(query.user === undefined ? {} : { actor: query.user }),
            ...(query.action === undefined ? {} : { action: query.action }),
            limit: query.limit,
          }),
        );
        const items: AuditEntryDto[] = rows.map(auditEntryDto);
        out.result({ items }, () =>
          formatTable(
            items.map((item) => ({
              ...item,
              target: [item.entity, item.entity_id].filter(Boolean).join(' '),
            })),
            ['at', 'actor', 'action', 'target', 'outcome', 'client_address'],
          ),
        );
      },
    );
};
