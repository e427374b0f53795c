/**
 * `factordesk login`, `factordesk sync status` and `factordesk conflicts list`: which hub the daemon replicates
 * with, how that stands, and what the conflict policy resolved on its own.
 */
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ConflictRecord } from '../../../src/conflict-policy.js';
import type { SyncStatus } from '../../../src/rpc/contract.js';
import { probeDaemon } from '../../rpc-client.js';
import { formatRecord, formatRows } from '../output.js';
import type { CliRuntime } from '../program.js';

/** Registers `login`, `sync` and `conflicts`. */
export function register(program: Command, ctx: CliRuntime): void {
  program
    .command('login')
    .description('replicate with a team hub: check its certificate (pinned on first use), ask who the key belongs to, and reconnect the daemon')
    .argument('<url>', 'the hub, e.g. https://hub.example.com:7443')
    .requiredOption('--ikey <ikey>', 'your integration key (issued by an Owner with `hub admin add`)')
    .requiredOption('--skey-file <file>', 'a file holding your secret key (kept where it is; read at each daemon start)')
    .option('--repin', 'accept a certificate that differs from the one pinned for this hub (after checking it on the hub)')
    .addOption(new Option('--fingerprint <sha256>', 'the certificate fingerprint to expect, as `hub serve` prints it (instead of trusting on first use)'))
    .action(async (url: string, options: { ikey: string; skeyFile: string; repin?: boolean; fingerprint?: string }) => {
      // Loaded on demand: the hub client is the daemon's code, needed here only to log in.
      const { login } = await import('../../../daemon/hub-login.js');
      const result = await login({
        configFile: ctx.paths().configFile,
        url,
        ikey: options.ikey,
        skeyFile: path.resolve(options.skeyFile),
        repin: options.repin === true,
        ...(options.fingerprint === undefined ? {} : { fingerprint: options.fingerprint }),
      });
      if (result.skeyFileReadableByOthers) {
        ctx.err(`warning: ${path.resolve(options.skeyFile)} is readable by other users; chmod 600 it\n`);
      }
      let reloaded: SyncStatus | undefined;
      const probe = await probeDaemon(ctx.paths(), 'cli');
      if (probe.state === 'ready') {
        try {
          reloaded = await probe.client.request('sync.reload', {});
        } finally {
          probe.client.close();
        }
      } else if (probe.state === 'needs-restart') {
        probe.client.close();
      }
      const json = { hub: result.hub, hub_id: result.hubId, identity: result.identity, fingerprint: result.fingerprint ?? null, pin: result.pin, daemon: reloaded ? 'reconnected' : 'not running' };
      const pinText: Record<typeof result.pin, string> = {
        'first-use': 'pinned on first use: compare it with what `factordesk hub serve` printed on the hub',
        unchanged: 'as pinned before',
        repinned: 're-pinned',
        given: 'as given with --fingerprint',
        none: 'plain HTTP: no certificate',
      };
      ctx.out(
        formatRecord(
          ctx.format(),
          [
            ['hub', result.hub],
            ['acting as', `${result.identity.name} (${result.identity.role})`],
            ['certificate', result.fingerprint ? `SHA-256 ${result.fingerprint} (${pinText[result.pin]})` : pinText.none],
            ['daemon', reloaded ? `reconnected (${reloaded.state})` : 'not running; it replicates with this hub when it starts'],
          ],
          json,
        ),
      );
    });

  const sync = program.command('sync').description('replication with the hub');
  sync
    .command('status')
    .description('the hub, online/offline, edits not yet pushed, the last sync, conflicts and refused changes')
    .action(async () => {
      const client = await ctx.client();
      const status = await client.request('sync.status', {});
      ctx.out(formatStatus(ctx, status));
    });

  const conflicts = program.command('conflicts').description('conflicts the sync resolved automatically, with both sides');
  conflicts
    .command('list')
    .description('list recorded conflict resolutions, newest first')
    .option('--limit <n>', 'at most this many (default 100)', positiveInt, 100)
    .action(async (options: { limit: number }) => {
      const client = await ctx.client();
      const records = await client.request('sync.conflicts', { limit: options.limit });
      // Loaded here, not at start-up: the policy module brings RxDB's schema helpers, which other commands do without.
      const { CONFLICT_RULE_LABELS } = await import('../../../src/conflict-policy/record.js');
      ctx.out(formatConflicts(ctx, records, CONFLICT_RULE_LABELS));
    });
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 10_000) throw new InvalidArgumentError('must be a whole number from 1 to 10000');
  return n;
}

/** `2026-11-29 21:06:25 (12 s ago)`, or `never`. */
export function describeTime(epochMs: number | null, now = Date.now()): string {
  if (epochMs === null) return 'never';
  const iso = new Date(epochMs).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  const ago = Math.max(0, Math.round((now - epochMs) / 1000));
  return `${iso} (${ago < 120 ? `${ago} s` : ago < 7200 ? `${Math.round(ago / 60)} min` : `${Math.round(ago / 3600)} h`} ago)`;
}

function formatStatus(ctx: CliRuntime, status: SyncStatus): string {
  if (ctx.format() !== 'table') {
    return formatRecord(
      ctx.format(),
      [
        ['hub', status.hub ?? ''],
        ['local', status.local ? 'yes' : 'no'],
        ['state', status.state],
        ['queued', String(status.queued)],
        ['last_sync', status.lastSync === null ? '' : new Date(status.lastSync).toISOString()],
        ['conflicts', String(status.conflicts)],
        ['refused', String(status.refused.length)],
        ['message', status.message ?? ''],
      ],
      status,
    );
  }
  const hub = status.hub === null ? (status.local ? 'local hub (starting)' : 'none (local only)') : `${status.hub}${status.local ? ' (local hub)' : ''}`;
  const lines: [string, string][] = [
    ['hub', hub],
    ['state', status.state],
    ['acting as', `${status.identity.name} (${status.identity.role})`],
    ['queued edits', String(status.queued)],
    ['last sync', status.state === 'local-only' ? '-' : describeTime(status.lastSync)],
    ['conflicts', status.conflicts === 0 ? '0' : `${status.conflicts} (see \`factordesk conflicts list\`)`],
    ['refused', String(status.refused.length)],
  ];
  if (status.message) lines.push(['message', status.message]);
  let text = formatRecord('table', lines, status);
  for (const r of status.refused) {
    text += `  refused ${r.collection} ${r.id} at ${new Date(r.time).toISOString()}: ${r.reason} (rolled back)\n`;
  }
  return text;
}

function formatConflicts(ctx: CliRuntime, records: ConflictRecord[], labels: Readonly<Record<string, string>>): string {
  if (ctx.format() === 'table' && records.length === 0) return 'no conflicts recorded\n';
  const headers = ['time', 'collection', 'id', 'field', 'rule', 'kept', 'lost'];
  const rows = records.map((r) => [new Date(r.time).toISOString(), r.collection_name, r.doc_id, r.field, r.rule, r.kept, r.lost]);
  if (ctx.format() === 'table') {
    const legend = [...new Set(records.map((r) => r.rule))].map((rule) => `  ${rule}: ${labels[rule] ?? ''}`).join('\n');
    return formatRows('table', headers, rows) + '\n' + legend + '\n';
  }
  return formatRows(ctx.format(), headers, rows, records);
}
