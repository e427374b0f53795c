/**
 * `factordesk tokens import|receive|resync`: the token operations the hub performs. The file is read here and
 * handed to the daemon, which validates it whole against its replica before anything is sent; the secrets in it
 * (and in a PSKC password or key file) go to the hub only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { TOKEN_TYPES, TOKEN_TYPE_LABELS, type TokenType } from '../../../src/domain/enums.js';
import { invalid } from '../../../src/errors.js';
import { IMPORT_FORMATS, type ImportFormat } from '../../../src/import/imported-token.js';
import type { ImportOutcome, PskcSecrets } from '../../../src/rpc/contract.js';
import type { CliRuntime } from '../program.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { printResult } from '../result-output.js';
import { DEFAULT_WAIT_MS, finishRequest, rowErrorLines } from '../request-output.js';

function choice<T extends string>(values: readonly T[]) {
  return (value: string): T => {
    const v = value.toLowerCase();
    if (!(values as readonly string[]).includes(v)) throw new InvalidArgumentError(`use one of ${values.join(', ')}`);
    return v as T;
  };
}

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw invalid(`Cannot read the ${what} ${file}${code === 'ENOENT' ? ': no such file' : code === 'EACCES' ? ': permission denied' : ''}.`);
  }
}

interface ImportOptions {
  /** Not `--format`: that is the global output format. */
  fileFormat?: ImportFormat;
  type?: TokenType;
  dryRun?: boolean;
  wait: boolean;
  pskcPasswordFile?: string;
  pskcKeyFile?: string;
}

function pskcSecrets(opts: ImportOptions): PskcSecrets {
  return {
    ...(opts.pskcPasswordFile ? { pskcPassword: readText(opts.pskcPasswordFile, 'password file').replace(/\r?\n$/, '') } : {}),
    ...(opts.pskcKeyFile ? { pskcKey: readText(opts.pskcKeyFile, 'key file').trim() } : {}),
  };
}

function counts(byType: Partial<Record<TokenType, number>>): string {
  return Object.entries(byType)
    .map(([type, n]) => `${n} ${TOKEN_TYPE_LABELS[type as TokenType]}`)
    .join(', ');
}

function printOutcome(ctx: CliRuntime, outcome: ImportOutcome, file: string): void {
  if (outcome.outcome === 'invalid') {
    if (ctx.format() === 'json') ctx.out(JSON.stringify(outcome, null, 2) + '\n');
    ctx.err([`factordesk: ${file}: ${outcome.errors.length} bad row(s); nothing was imported`, ...rowErrorLines(outcome.errors)].join('\n') + '\n');
    throw new CliExit(EXIT.REFUSED);
  }
  if (outcome.outcome === 'dry-run') {
    const { summary } = outcome;
    printResult(ctx, outcome, {
      human: () =>
        [
          `${file} (${outcome.format}): ${summary.total} token(s) would be imported: ${counts(summary.byType)}`,
          ...summary.preview.map((p) => `  ${p.serial}  ${p.type}${p.totp_step ? `  step ${p.totp_step}s` : ''}${p.counter ? `  counter ${p.counter}` : ''}`),
          ...(summary.total > summary.preview.length ? [`  … and ${summary.total - summary.preview.length} more`] : []),
          'nothing was changed (dry run)',
        ].join('\n'),
      csv: () => ({ headers: ['serial', 'type', 'totp_step', 'counter'], rows: summary.preview.map((p) => [p.serial, p.type, String(p.totp_step), String(p.counter)]) }),
    });
    return;
  }
  finishRequest(ctx, outcome.request, (request) => {
    const imported = (request.result as { imported?: number }).imported ?? outcome.summary.total;
    return `imported ${imported} token(s) from ${file}: ${counts(outcome.summary.byType)}`;
  });
}

function importCommand(parent: Command, ctx: CliRuntime, vendor: boolean): void {
  const command = parent
    .command(vendor ? 'receive' : 'import')
    .description(
      vendor
        ? 'receive vendor-provisioned d1 tokens from the file that came with them (Owner and Billing)'
        : 'import third-party tokens: Duo CSV, OATH CSV, YubiKey personalization export or PSKC; all or nothing',
    )
    .argument('<file>', 'the token file')
    .option('--file-format <format>', `${IMPORT_FORMATS.join(', ')} (detected when absent)`, choice(IMPORT_FORMATS));
  if (!vendor) command.option('--type <type>', `token type of a Duo CSV (${TOKEN_TYPES.filter((t) => t !== 'd1').join(', ')})`, choice(TOKEN_TYPES));
  command
    .option('--dry-run', 'check the whole file and show what would be imported; change nothing')
    .option('--pskc-password-file <file>', 'the password of a password-encrypted PSKC file')
    .option('--pskc-key-file <file>', 'the pre-shared key (hex) of an encrypted PSKC file')
    .option('--no-wait', 'do not wait for the hub to finish')
    .action(async (file: string, opts: ImportOptions) => {
      const content = readText(file, 'token file');
      const outcome = await (await ctx.client()).request(vendor ? 'tokens.receive' : 'tokens.import', {
        content,
        filename: path.basename(file),
        ...(opts.fileFormat ? { format: opts.fileFormat } : {}),
        ...(!vendor && opts.type ? { type: opts.type } : {}),
        ...(opts.dryRun ? { dryRun: true } : {}),
        ...pskcSecrets(opts),
        wait: opts.wait ? DEFAULT_WAIT_MS : 0,
      });
      printOutcome(ctx, outcome, file);
    });
}

/** Adds import, receive and resync to the `tokens` group. */
export function registerTokenFileCommands(tokens: Command, ctx: CliRuntime): void {
  importCommand(tokens, ctx, false);
  importCommand(tokens, ctx, true);
  tokens
    .command('resync')
    .description('resynchronize an HOTP token with three consecutive codes (queued while the hub is away)')
    .argument('<token>', 'serial or token_id')
    .argument('<code1>', 'first code')
    .argument('<code2>', 'second code (press the button again)')
    .argument('<code3>', 'third code')
    .option('--no-wait', 'do not wait for the hub')
    .action(async (token: string, code1: string, code2: string, code3: string, opts: { wait: boolean }) => {
      const request = await (await ctx.client()).request('tokens.resync', { token, codes: [code1, code2, code3], wait: opts.wait ? DEFAULT_WAIT_MS : 0 });
      finishRequest(ctx, request, (r) => {
        const skipped = (r.result as { skipped?: number }).skipped;
        return `resynchronized ${String((r.params as { serial?: string }).serial ?? token)}` + (skipped ? ` (it was ${skipped} code(s) ahead)` : '');
      });
    });
}
