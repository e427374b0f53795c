/** `factordesk requests …` (what was asked of the hub and its answers) and `factordesk verify`. */
import { InvalidArgumentError, type Command } from 'commander';
import type { CliRuntime } from '../program.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { formatTable } from '../output.js';
import { printResult } from '../result-output.js';
import { DEFAULT_WAIT_MS, finishRequest, requestStatusLine } from '../request-output.js';

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number from 1');
  return n;
}

/** Registers `requests` and `verify`. */
export function register(program: Command, ctx: CliRuntime): void {
  const requests = program.command('requests').description('server-side requests (imports, resyncs, activations) and their answers');
  requests
    .command('list')
    .description('list requests, newest first')
    .option('--limit <n>', 'at most this many', positive, 50)
    .action(async (opts: { limit: number }) => {
      const list = await (await ctx.client()).request('requests.list', { limit: opts.limit });
      const rows = list.map((r) => [r.request_id, r.kind, r.queued ? 'queued' : r.status, new Date(r.created).toISOString().slice(0, 19).replace('T', ' '), r.error_message]);
      const headers = ['request_id', 'kind', 'status', 'created', 'error'];
      printResult(ctx, list, {
        human: () => (list.length === 0 ? 'no requests' : formatTable(headers, rows)),
        csv: () => ({ headers, rows }),
      });
    });
  requests
    .command('show')
    .description('show one request and its answer')
    .argument('<request>', 'request_id')
    .option('--wait', `wait up to ${DEFAULT_WAIT_MS / 1000} s for the hub's answer`)
    .action(async (request: string, opts: { wait?: boolean }) => {
      const view = await (await ctx.client()).request('requests.get', { request, wait: opts.wait ? DEFAULT_WAIT_MS : 0 });
      finishRequest(ctx, view, (r) => `${requestStatusLine(r)}\n${JSON.stringify(r.result, null, 2)}`);
    });

  program
    .command('verify')
    .description("check a user's passcode at the hub, as an authentication adapter would (exit 0 when it verifies)")
    .argument('<user>', 'username or user_id')
    .argument('<passcode>', 'the code from a token or authenticator app')
    .action(async (user: string, passcode: string) => {
      const result = await (await ctx.client()).request('auth.verify', { user, passcode });
      printResult(ctx, result, { human: () => (result.ok ? `valid passcode for ${user} (${result.via ?? ''})` : `refused: ${result.reason ?? 'invalid passcode'}`) });
      if (!result.ok) throw new CliExit(EXIT.REFUSED);
    });
}
