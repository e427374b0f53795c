/** `factordesk tokens …` and `factordesk u2f …`: hardware tokens and U2F/WebAuthn registrations. */
import { InvalidArgumentError, type Command } from 'commander';
import { TOKEN_TYPES, TOKEN_TYPE_LABELS, type TokenType } from '../../../src/domain/enums.js';
import type { Token } from '../../../src/domain/schemas.js';
import type { CliRuntime } from '../program.js';
import { registerTokenFileCommands } from './token-files.js';
import { printResult } from '../result-output.js';
import { listOptions, viewSpecFrom } from '../list-options.js';
import { printView } from '../view-output.js';

function tokenType(value: string): TokenType {
  const v = value.toLowerCase();
  if (!(TOKEN_TYPES as readonly string[]).includes(v)) throw new InvalidArgumentError(`use one of ${TOKEN_TYPES.join(', ')}`);
  return v as TokenType;
}

function step(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected seconds, e.g. 30');
  return n;
}

const describe = (t: Token) => `${t.serial} (${TOKEN_TYPE_LABELS[t.type]}, ${t.token_id})`;

/** Registers the tokens and u2f command groups. */
export function register(program: Command, ctx: CliRuntime): void {
  const tokens = program.command('tokens').description('list and manage hardware tokens');

  tokens
    .command('add')
    .description('register a hardware token by serial (secrets are imported on the hub)')
    .argument('<serial>', 'serial number (at most 128 characters)')
    .requiredOption('--type <type>', TOKEN_TYPES.join(', '), tokenType)
    .option('--totp-step <seconds>', 'time step of a TOTP token', step)
    .action(async (serial: string, opts: { type: TokenType; totpStep?: number }) => {
      const token = await (await ctx.client()).request('tokens.add', {
        serial,
        type: opts.type,
        ...(opts.totpStep ? { totp_step: opts.totpStep } : {}),
      });
      printResult(ctx, token, { human: () => `added token ${describe(token)}` });
    });

  listOptions(
    tokens.command('list').description('list hardware tokens, e.g. `tokens list type:h6 user:alice`').argument('[filter...]', 'filter terms'),
  ).action(async (filter: string[], opts) => printView(ctx, viewSpecFrom('tokens', filter, opts), opts.limit));

  tokens
    .command('show')
    .description('show a token with its users and administrators')
    .argument('<token>', 'serial or token_id')
    .action(async (token: string) => {
      const row = await (await ctx.client()).request('tokens.get', { token });
      printResult(ctx, row, {
        human: () =>
          [
            describe(row),
            `  origin: ${row.origin}`,
            ...(row.totp_step ? [`  time step: ${row.totp_step} s`] : []),
            `  users: ${row.usernames.join(', ') || '-'}`,
            `  administrators: ${row.admin_names.join(', ') || '-'}`,
          ].join('\n'),
      });
    });

  const pair = (name: string, method: 'tokens.assign' | 'tokens.unassign', what: string) =>
    tokens
      .command(name)
      .description(what)
      .argument('<token>', 'serial or token_id')
      .requiredOption('--user <user>', 'username or user_id')
      .action(async (token: string, opts: { user: string }) => {
        const result = await (await ctx.client()).request(method, { token, user: opts.user });
        printResult(ctx, result, { human: () => `${name === 'assign' ? 'assigned' : 'unassigned'} ${result.serial} ${name === 'assign' ? 'to' : 'from'} ${opts.user}` });
      });
  pair('assign', 'tokens.assign', 'assign a token to a user (a token may serve several users)');
  pair('unassign', 'tokens.unassign', 'remove a token from a user');

  const adminPair = (name: string, method: 'tokens.attachAdmin' | 'tokens.detachAdmin', what: string) =>
    tokens
      .command(name)
      .description(what)
      .argument('<token>', 'serial or token_id')
      .requiredOption('--admin <admin>', 'admin_id, e-mail or name')
      .action(async (token: string, opts: { admin: string }) => {
        const result = await (await ctx.client()).request(method, { token, admin: opts.admin });
        printResult(ctx, result, { human: () => `${name === 'attach-admin' ? 'attached' : 'detached'} ${result.serial} ${name === 'attach-admin' ? 'to' : 'from'} administrator ${opts.admin}` });
      });
  adminPair('attach-admin', 'tokens.attachAdmin', 'let an administrator log in with an OTP token (Owner only)');
  adminPair('detach-admin', 'tokens.detachAdmin', "remove a token from an administrator's login (Owner only)");

  tokens
    .command('delete')
    .description('delete a third-party token (vendor-provisioned d1 tokens cannot be deleted)')
    .argument('<token>', 'serial or token_id')
    .action(async (token: string) => {
      const result = await (await ctx.client()).request('tokens.delete', { token });
      printResult(ctx, result, {
        human: () => `deleted ${token}` + (result.affectedUsers.length ? `, removing it from ${result.affectedUsers.join(', ')}` : ''),
      });
    });

  registerTokenFileCommands(tokens, ctx);

  const u2f = program.command('u2f').description('list and delete U2F/WebAuthn registrations (users enrol them themselves)');
  listOptions(u2f.command('list').description('list registrations').argument('[filter...]', 'filter terms')).action(
    async (filter: string[], opts) => printView(ctx, viewSpecFrom('u2f', filter, opts), opts.limit),
  );
  u2f
    .command('delete')
    .description('delete a registration')
    .argument('<registration>', 'registration_id')
    .action(async (registration: string) => {
      const result = await (await ctx.client()).request('u2f.delete', { registration });
      printResult(ctx, result, { human: () => `deleted registration ${registration}` });
    });
}
