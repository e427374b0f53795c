/** `factordesk phones …`: add to a user, list, show, attach, detach, reorder, rename, delete. */
import { InvalidArgumentError, type Command } from 'commander';
import { PHONE_TYPE_LABELS, PLATFORM_LABELS } from '../../../src/domain/enums.js';
import type { DeviceDetail, PhoneFields } from '../../../src/rpc/contract.js';
import type { CliRuntime } from '../program.js';
import { registerActivationCommands } from './activation.js';
import { printResult } from '../result-output.js';
import { listOptions, viewSpecFrom } from '../list-options.js';
import { printView } from '../view-output.js';
import { describeUser } from './users.js';

const PHONE_REF = 'phone_id, number, or username:phoneN';

/** A device's properties page. */
export function describeDevice(detail: DeviceDetail): string {
  const { phone } = detail;
  const lines = [
    `${phone.name || phone.number || phone.phone_id} (${phone.phone_id})`,
    `  type:        ${PHONE_TYPE_LABELS[phone.type]}`,
    `  platform:    ${phone.type === 'landline' ? '-' : PLATFORM_LABELS[phone.platform]}`,
    `  number:      ${phone.number || '-'}${phone.extension ? ` ext. ${phone.extension}` : ''}`,
    `  model:       ${phone.model || '-'}`,
    `  os version:  ${phone.os_version || '-'}`,
    `  activated:   ${phone.activated ? 'yes' : 'no'}`,
    `  security:    ${phone.encrypted}, fingerprint ${phone.fingerprint}, screen lock ${phone.screenlock}, ${phone.tampered}`,
    `  last seen:   ${phone.last_seen || 'never'}`,
    '',
    `Users (${detail.users.length})${detail.shared ? ' — this device is shared between more than one user' : ''}`,
    ...detail.users.map((u) => `  ${u.username} (${u.alias})`),
  ];
  return lines.join('\n');
}

function position(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a position 1, 2, …');
  return n;
}

interface FieldOptions {
  type?: string;
  platform?: string;
  number?: string;
  extension?: string;
  name?: string;
  model?: string;
  osVersion?: string;
}

function fieldOptions(command: Command): Command {
  return command
    .option('--type <type>', 'mobile, tablet, landline')
    .option('--platform <platform>', 'ios, android, windows phone, … (not for landlines)')
    .option('--number <number>', 'phone number, e.g. +15551234567 (mobile and landline)')
    .option('--extension <ext>', 'extension (landline)')
    .option('--name <name>', 'device name, e.g. "Alice\'s iPad"')
    .option('--model <model>', 'model, e.g. "iPhone 15"')
    .option('--os-version <version>', 'OS version, e.g. 17.4');
}

function phoneFields(opts: FieldOptions): PhoneFields {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...opts, os_version: opts.osVersion, osVersion: undefined })) {
    if (value !== undefined) fields[key] = value;
  }
  return fields as PhoneFields;
}

/** Registers the phones command group. */
export function register(program: Command, ctx: CliRuntime): void {
  const phones = program.command('phones').alias('devices').description('list and manage phones, tablets and landlines');

  fieldOptions(
    phones.command('add').description("add a phone, tablet or landline to a user").requiredOption('--user <user>', 'username or user_id'),
  ).action(async (opts: FieldOptions & { user: string }) => {
    const { user, ...rest } = opts;
    const added = await (await ctx.client()).request('phones.add', { user, ...phoneFields(rest) });
    printResult(ctx, added, {
      human: () => `added ${added.phone.type} ${added.phone.name || added.phone.number || ''} (${added.phone.phone_id}) to ${user} as ${added.alias}`,
    });
  });

  listOptions(
    phones
      .command('list')
      .description('list devices, e.g. `phones list platform:ios os:<17 encrypted:no shared:yes user:alice`')
      .argument('[filter...]', 'filter terms'),
  ).action(async (filter: string[], opts) => printView(ctx, viewSpecFrom('devices', filter, opts), opts.limit));

  phones
    .command('show')
    .description('show a device with its attached users')
    .argument('<phone>', PHONE_REF)
    .action(async (phone: string) => {
      const detail = await (await ctx.client()).request('phones.get', { phone });
      printResult(ctx, detail, {
        human: () => describeDevice(detail),
        csv: () => ({ headers: ['username', 'alias'], rows: detail.users.map((u) => [u.username, u.alias]) }),
      });
    });

  phones
    .command('attach')
    .description('attach an existing device to another user (the device becomes shared)')
    .argument('<phone>', PHONE_REF)
    .requiredOption('--user <user>', 'the user to attach it to')
    .action(async (phone: string, opts: { user: string }) => {
      const detail = await (await ctx.client()).request('phones.attach', { phone, user: opts.user });
      printResult(ctx, detail, {
        human: () =>
          `attached ${detail.phone.phone_id} to ${opts.user}` +
          (detail.shared ? `; the device is now shared between ${detail.users.map((u) => u.username).join(', ')}` : ''),
      });
    });

  phones
    .command('detach')
    .alias('remove')
    .description('remove a device from one user; it is deleted when no user remains')
    .argument('<phone>', PHONE_REF)
    .requiredOption('--user <user>', 'the user to remove it from')
    .action(async (phone: string, opts: { user: string }) => {
      const result = await (await ctx.client()).request('phones.detach', { phone, user: opts.user });
      printResult(ctx, result, {
        human: () =>
          result.deviceDeleted
            ? `removed ${phone} from ${opts.user}; no user remained, so the device was deleted`
            : `removed ${phone} from ${opts.user}; it stays attached to ${result.remainingUsers.length} other user(s)`,
      });
    });

  phones
    .command('reorder')
    .description("move a device to a position in a user's order (aliases phone1.. follow)")
    .requiredOption('--user <user>', 'username or user_id')
    .argument('<phone>', PHONE_REF)
    .argument('<position>', '1 = phone1, the device used first', position)
    .action(async (phone: string, pos: number, opts: { user: string }) => {
      const detail = await (await ctx.client()).request('phones.reorder', { user: opts.user, phone, position: pos });
      printResult(ctx, detail, {
        human: () => describeUser(detail),
        csv: () => ({
          headers: ['alias', 'phone_id', 'name', 'number'],
          rows: detail.phones.map(({ alias, phone: p }) => [alias, p.phone_id, p.name, p.number]),
        }),
      });
    });

  phones
    .command('rename')
    .description('set a device name')
    .argument('<phone>', PHONE_REF)
    .argument('<name>', 'the new name')
    .action(async (phone: string, name: string) => {
      const result = await (await ctx.client()).request('phones.update', { phone, name });
      printResult(ctx, result, { human: () => `renamed ${result.phone_id} to "${result.name}"` });
    });

  fieldOptions(phones.command('update').description('change device details').argument('<phone>', PHONE_REF)).action(
    async (phone: string, opts: FieldOptions) => {
      const result = await (await ctx.client()).request('phones.update', { phone, ...phoneFields(opts) });
      printResult(ctx, result, { human: () => `updated ${result.phone_id}` });
    },
  );

  phones
    .command('delete')
    .description('delete a device entirely, removing it from every user')
    .argument('<phone>', PHONE_REF)
    .action(async (phone: string) => {
      const result = await (await ctx.client()).request('phones.delete', { phone });
      printResult(ctx, result, {
        human: () =>
          `deleted ${phone}` + (result.affectedUsers.length ? `, removing it from ${result.affectedUsers.join(', ')}` : ''),
      });
    });

  registerActivationCommands(phones, ctx, PHONE_REF);
}
