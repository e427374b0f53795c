/**
 * How the CLI shows a server-side request and ends on it: done → exit 0 with the result; failed → the hub's
 * reason on stderr, exit 1; still waiting (queued offline, or the hub is slow) → exit 0 with where to look later.
 */
import QRCode from 'qrcode';
import type { ImportRowError } from '../../src/import/imported-token.js';
import type { ActivationView, RequestView } from '../../src/rpc/contract.js';
import type { CliRuntime } from './program.js';
import { CliExit, EXIT } from './exit-codes.js';
import { printResult } from './result-output.js';

/** How long commands wait for the hub's answer by default (ms). */
export const DEFAULT_WAIT_MS = 30_000;

/** One line on where a request stands. */
export function requestStatusLine(request: RequestView): string {
  if (request.status === 'done') return `request ${request.request_id} (${request.kind}): done`;
  if (request.status === 'failed') return `request ${request.request_id} (${request.kind}) failed: ${request.error_message}`;
  if (request.queued) return `request ${request.request_id} (${request.kind}): queued — the hub is not reachable; it runs when the hub is back`;
  return `request ${request.request_id} (${request.kind}): ${request.status} at the hub`;
}

/** Per-row errors as `line N, field: reason` lines. */
export function rowErrorLines(errors: readonly ImportRowError[], max = 50): string[] {
  const lines = errors.slice(0, max).map((e) => `  line ${e.line}, ${e.field}: ${e.reason}`);
  if (errors.length > max) lines.push(`  … and ${errors.length - max} more`);
  return lines;
}

/** Prints the request (with `human` for a done one) and exits 1 when it failed. */
export function finishRequest(ctx: CliRuntime, request: RequestView, human: (request: RequestView) => string): void {
  if (request.status === 'failed') {
    if (ctx.format() === 'json') ctx.out(JSON.stringify(request, null, 2) + '\n');
    const errors = (request.result as { errors?: ImportRowError[] }).errors;
    const hint = (request.result as { hint?: string }).hint;
    ctx.err(
      [`factordesk: ${request.error_message}`, ...(Array.isArray(errors) ? rowErrorLines(errors) : []), ...(hint ? [`hint: ${hint}`] : [])].join('\n') + '\n',
    );
    throw new CliExit(EXIT.REFUSED);
  }
  const waiting = request.status !== 'done';
  printResult(ctx, request, {
    human: () =>
      waiting ? `${requestStatusLine(request)}\nfollow it with: factordesk requests show ${request.request_id} --wait` : human(request),
  });
}

/** An activation as a person scans it: a QR code of the otpauth URI, the link, and when it expires. */
export async function activationText(activation: ActivationView): Promise<string> {
  // qrcode's utf8 renderer throws on an odd margin (it halves it into whole lines).
  const qr = await QRCode.toString(activation.otpauth_uri, { type: 'utf8', errorCorrectionLevel: 'L', margin: 2 });
  return [
    qr.trimEnd(),
    `Scan with the authenticator app, or open: ${activation.otpauth_uri}`,
    `Expires: ${new Date(activation.expires).toISOString()}`,
    ...(activation.emailed_to ? [`Mailed to ${activation.emailed_to}.`] : []),
  ].join('\n');
}
