/** `factordesk report`, `factordesk link` and `factordesk open`: reports and shareable links of a filtered view. */
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { ENTITIES, type EntityName } from '../../../src/rpc/contract.js';
import { parseLink, viewToLink } from '../../../src/link.js';
import type { CliContext } from '../context.js';
import { parseSort } from '../list-options.js';
import { printView } from '../view-output.js';

function entity(value: string): EntityName {
  const v = value === 'phones' ? 'devices' : value;
  if (!(ENTITIES as readonly string[]).includes(v)) throw new InvalidArgumentError(`use one of ${ENTITIES.join(', ')}`);
  return v as EntityName;
}

/** Registers report, link and open. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('report')
    .description('write a report (CSV or JSON) of a filtered view; it never contains a secret')
    .argument('<view>', ENTITIES.join(', '), entity)
    .argument('[filter...]', 'filter terms')
    .option('--sort <key[:desc]>', 'sort by a column')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(async (view: EntityName, filter: string[], opts: { sort?: string; output?: string }) => {
      const format = ctx.format() === 'json' ? 'json' : 'csv';
      const sort = parseSort(opts.sort);
      const spec = { entity: view, filter: filter.join(' '), ...(sort ? { sort } : {}) };
      const report = await (await ctx.client()).request('report.export', { spec, format });
      if (opts.output) {
        const file = path.resolve(opts.output);
        fs.writeFileSync(file, report.content);
        process.stderr.write(`wrote ${report.rows} ${view} rows to ${file}\n`);
      } else {
        ctx.out(report.content.endsWith('\n') ? report.content : report.content + '\n');
      }
    });

  program
    .command('link')
    .description('print a factordesk:// link to a filtered view (reopen it with `factordesk open`)')
    .argument('<view>', ENTITIES.join(', '), entity)
    .argument('[filter...]', 'filter terms')
    .option('--sort <key[:desc]>', 'sort by a column')
    .action(async (view: EntityName, filter: string[], opts: { sort?: string }) => {
      const client = await ctx.client();
      const sort = parseSort(opts.sort);
      const spec = { entity: view, filter: filter.join(' '), ...(sort ? { sort } : {}) };
      // Ask the daemon once so a bad filter is refused now rather than when the link is opened.
      await client.request('view.query', { ...spec, window: { offset: 0, limit: 1 } });
      ctx.out(viewToLink(spec) + '\n');
    });

  program
    .command('open')
    .description('open the TUI at the view a factordesk:// link points to (prints its rows when not on a terminal)')
    .argument('<link>', 'a factordesk://… link')
    .option('--limit <n>', 'print at most n rows', (v) => Number(v))
    .action(async (link: string, opts: { limit?: number }) => {
      const spec = parseLink(link);
      // On a terminal the link opens the TUI at that view; piped (or with --limit) it prints the rows.
      if (process.stdout.isTTY && process.stdin.isTTY && opts.limit === undefined) {
        const { runTui } = await import('../../app.js');
        await runTui({ dataDir: program.opts<{ dataDir?: string }>().dataDir, view: spec });
        return;
      }
      await printView(ctx, spec, opts.limit);
    });
}
