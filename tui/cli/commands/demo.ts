/** `factordesk demo load`: the deterministic demo data set, into an empty replica. */
import { InvalidArgumentError, type Command } from 'commander';
import type { CliContext } from '../context.js';
import { printResult } from '../result-output.js';

/** Registers the demo command group. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('demo data')
    .command('load')
    .description('load a realistic, deterministic demo data set into an empty replica')
    .option('--size <size>', 'small (about 50 devices) or enterprise (100k users, 120k devices)', (v) => {
      if (v !== 'small' && v !== 'enterprise') throw new InvalidArgumentError('use small or enterprise');
      return v;
    }, 'small')
    .action(async (opts: { size: 'small' | 'enterprise' }) => {
      const counts = await (await ctx.client()).request('demo.load', { size: opts.size });
      printResult(ctx, counts, {
        human: () =>
          `loaded ${opts.size} demo data: ${counts.users} users, ${counts.phones} devices, ${counts.tokens} tokens, ` +
          `${counts.u2f} U2F registrations, ${counts.admins} administrators`,
      });
    });
}
