/**
 * `factordesk phones activate|activation`: the hub creates an activation for a phone (its secret stays there);
 * the CLI shows it as a QR code and a link, fetched from the hub when shown and never stored on this machine.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { CliRuntime } from '../program.js';
import { printResult } from '../result-output.js';
import { activationText, DEFAULT_WAIT_MS, finishRequest } from '../request-output.js';

function hours(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected hours, e.g. 24');
  return n;
}

/** Adds activate and activation to the `phones` group. */
export function registerActivationCommands(phones: Command, ctx: CliRuntime, phoneRef: string): void {
  phones
    .command('activate')
    .description('send an activation to a phone: a QR code and link for the authenticator app (queued while the hub is away)')
    .argument('<phone>', phoneRef)
    .option('--email <address>', 'also mail the activation (through the SMTP server the hub is configured with)')
    .option('--valid-hours <hours>', 'how long the activation may be used (default 24)', hours)
    .option('--no-qr', 'print the link only')
    .option('--no-wait', 'do not wait for the hub')
    .action(async (phone: string, opts: { email?: string; validHours?: number; qr: boolean; wait: boolean }) => {
      const client = await ctx.client();
      const request = await client.request('phones.activate', {
        phone,
        ...(opts.email ? { email: opts.email } : {}),
        ...(opts.validHours ? { validHours: opts.validHours } : {}),
        wait: opts.wait ? DEFAULT_WAIT_MS : 0,
      });
      if (request.status !== 'done' || ctx.format() !== 'table') {
        finishRequest(ctx, request, () => `activation created for ${phone}`);
        return;
      }
      const activation = await client.request('phones.activation', { phone });
      ctx.out((opts.qr ? await activationText(activation) : activation.otpauth_uri) + '\n');
    });

  phones
    .command('activation')
    .description("show a phone's pending activation again (QR code and link), from the hub")
    .argument('<phone>', phoneRef)
    .option('--no-qr', 'print the link only')
    .action(async (phone: string, opts: { qr: boolean }) => {
      const activation = await (await ctx.client()).request('phones.activation', { phone });
      printResult(ctx, activation, { human: () => '' });
      if (ctx.format() === 'table') ctx.out((opts.qr ? await activationText(activation) : activation.otpauth_uri) + '\n');
    });
}
