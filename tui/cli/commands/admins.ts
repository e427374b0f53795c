/** `factordesk admins list` and `factordesk audit list`. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { listOptions, viewSpecFrom } from '../list-options.js';
import { printView } from '../view-output.js';

/** Registers the admins and audit command groups. */
export function register(program: Command, ctx: CliContext): void {
  const admins = program.command('admins').description('administrators and their roles');
  listOptions(
    admins.command('list').description('list administrators, e.g. `admins list role:"help desk"`').argument('[filter...]', 'filter terms'),
  ).action(async (filter: string[], opts) => printView(ctx, viewSpecFrom('admins', filter, opts), opts.limit));

  const audit = program.command('audit').description('the audit trail of changes');
  listOptions(
    audit.command('list').description('list audit events, newest first, e.g. `audit list action:phone.delete`').argument('[filter...]', 'filter terms'),
  ).action(async (filter: string[], opts) => printView(ctx, viewSpecFrom('audit', filter, opts), opts.limit));
}
