/** `factordesk users …`: add, list, show, disable, enable, delete. */
import type { Command } from 'commander';
import { PHONE_TYPE_LABELS, PLATFORM_LABELS } from '../../../src/domain/enums.js';
import type { UserDetail } from '../../../src/rpc/contract.js';
import type { CliContext } from '../context.js';
import { formatTable } from '../output.js';
import { printResult } from '../result-output.js';
import { listOptions, viewSpecFrom } from '../list-options.js';
import { printView } from '../view-output.js';

/** A user's properties page: the user, then the phones in order with their aliases, tokens and U2F. */
export function describeUser(detail: UserDetail): string {
  const { user } = detail;
  const lines = [
    `${user.username} (${user.user_id})`,
    `  name:   ${user.realname || '-'}`,
    `  email:  ${user.email || '-'}`,
    `  status: ${user.status}`,
    '',
    `Phones (${detail.phones.length})`,
  ];
  if (detail.phones.length) {
    lines.push(
      formatTable(
        ['ALIAS', 'PHONE_ID', 'NAME', 'NUMBER', 'TYPE', 'PLATFORM', 'SHARED'],
        detail.phones.map(({ alias, phone }) => [
          alias,
          phone.phone_id,
          phone.name,
          phone.number,
          PHONE_TYPE_LABELS[phone.type],
          phone.type === 'landline' ? '' : PLATFORM_LABELS[phone.platform],
          phone.users.length > 1 ? `yes (${phone.users.length} users)` : '',
        ]),
      ),
    );
  }
  lines.push('', `Hardware tokens (${detail.tokens.length})`);
  for (const t of detail.tokens) lines.push(`  ${t.serial}  ${t.type}`);
  lines.push('', `U2F/WebAuthn (${detail.u2f.length})`);
  for (const r of detail.u2f) lines.push(`  ${r.registration_id}  ${r.kind}  ${r.credential_name || r.label}`);
  return lines.join('\n');
}

/** Registers the users command group. */
export function register(program: Command, ctx: CliContext): void {
  const users = program.command('users').description('list and manage users');

  users
    .command('add')
    .description('add a user')
    .argument('<username>', 'the username (unique, case-insensitive)')
    .option('--realname <name>', 'full name')
    .option('--email <address>', 'e-mail address')
    .action(async (username: string, opts: { realname?: string; email?: string }) => {
      const user = await (await ctx.client()).request('users.add', { username, ...opts });
      printResult(ctx, user, { human: () => `added user ${user.username} (${user.user_id})` });
    });

  listOptions(
    users
      .command('list')
      .description('list users, optionally filtered (e.g. status:disabled phones:0)')
      .argument('[filter...]', 'filter terms'),
  ).action(async (filter: string[], opts) => printView(ctx, viewSpecFrom('users', filter, opts), opts.limit));

  users
    .command('show')
    .description("show a user with their phones in order (phone1, phone2, …), tokens and U2F")
    .argument('<user>', 'username or user_id')
    .action(async (user: string) => {
      const detail = await (await ctx.client()).request('users.get', { user });
      printResult(ctx, detail, {
        human: () => describeUser(detail),
        csv: () => ({
          headers: ['alias', 'phone_id', 'name', 'number', 'type', 'platform'],
          rows: detail.phones.map(({ alias, phone }) => [alias, phone.phone_id, phone.name, phone.number, phone.type, phone.platform]),
        }),
      });
    });

  for (const [name, status, verb] of [
    ['disable', 'disabled', 'disabled'],
    ['enable', 'active', 'enabled'],
  ] as const) {
    users
      .command(name)
      .description(`${name} a user`)
      .argument('<user>', 'username or user_id')
      .action(async (user: string) => {
        const result = await (await ctx.client()).request('users.setStatus', { user, status });
        printResult(ctx, result, { human: () => `${verb} ${result.username}` });
      });
  }

  users
    .command('delete')
    .description('delete a user; devices left without any user are deleted with them')
    .argument('<user>', 'username or user_id')
    .action(async (user: string) => {
      const result = await (await ctx.client()).request('users.delete', { user });
      printResult(ctx, result, {
        human: () =>
          `deleted ${user}` +
          (result.deletedDevices.length ? `; ${result.deletedDevices.length} device(s) had no other user and were deleted` : ''),
      });
    });
}
