/**
 * Phone activation at the hub, on an in-memory store: the otpauth URI (format, encoding, a seed that round-trips
 * to the same codes), the operation's answer (never the seed), replacement of an earlier activation, idempotence
 * of a request run twice (mailed once), all-or-nothing mail, and the refusals.
 */
import { pino } from 'pino';
import { ScureBase32Plugin } from 'otplib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newRequest } from '../../../../src/domain/request.js';
import { createPhone } from '../../../../src/domain/phone.js';
import type { Phone, ServerRequest } from '../../../../src/domain/schemas.js';
import { createUser } from '../../../../src/domain/user.js';
import { totpCode } from '../../../../src/otp/totp.js';
import { readActivation, writeActivation } from '../../../../daemon/hub/activation-secrets.js';
import { authorizedPush, type Pusher } from '../../../../daemon/hub/authorized-push.js';
import type { ActivationMail, Mailer } from '../../../../daemon/hub/mailer.js';
import {
  activationAccountName,
  activationUri,
  createActivation,
  DEFAULT_VALID_HOURS,
  phonesActivateOperation,
} from '../../../../daemon/hub/operations/phone-activation.js';
import { OperationFailure, type OperationContext } from '../../../../daemon/hub/requests/operation.js';
import { openStore, type HubStore } from '../../../../daemon/hub/store.js';
import { FactordeskError } from '../../../../src/errors.js';

const T0 = 1_700_000_000_000;
const ACCOUNT = 'default';
const HOUR = 3_600_000;
const owner: Pusher = { admin_id: 'DEOWNER', name: 'Olive', role: 'Owner' };
const live = (doc: object) => ({ ...doc, _deleted: false });
const base32 = new ScureBase32Plugin();

let store: HubStore;
let clock: number;

/** A mailer that keeps what it is asked to send, or fails when told. */
function fakeMailer(fail?: Error): Mailer & { sent: ActivationMail[] } {
  const sent: ActivationMail[] = [];
  return {
    sent,
    async sendActivation(mail) {
      if (fail) throw fail;
      sent.push(mail);
      return { messageId: `<m${sent.length}@test>` };
    },
  };
}

function context(request: ServerRequest, mailer?: Mailer): OperationContext {
  return {
    store,
    account: ACCOUNT,
    log: pino({ level: 'silent' }),
    now: () => clock,
    settings: { resyncWindow: 10, ...(mailer ? { mailer } : {}) },
    request,
    requester: { ...owner, client: `request ${request.request_id}` },
    attachment: async () => undefined,
  };
}

function activateRequest(params: Record<string, unknown>): ServerRequest {
  return newRequest({ kind: 'phones.activate', params, adminId: owner.admin_id }, clock);
}

async function addPhone(id: string, fields: Parameters<typeof createPhone>[0], userId = 'DU1'): Promise<Phone> {
  const phone = createPhone(fields, userId, T0, id);
  await authorizedPush(store, ACCOUNT, 'phones', [{ newDocumentState: live(phone) }], owner, T0);
  return phone;
}

beforeEach(async () => {
  clock = T0 + HOUR;
  store = await openStore('sqlite::memory:');
  await authorizedPush(store, ACCOUNT, 'users', [{ newDocumentState: live(createUser({ username: 'alice' }, T0, 'DU1')) }], owner, T0);
  await addPhone('DP1', { number: '+15555550100', platform: 'apple ios' });
});
afterEach(async () => {
  await store.close();
});

describe('activationUri', () => {
  it('is otpauth://totp/ISSUER:ACCOUNT with the base32 seed, issuer, SHA1, 6 digits and 30 s', () => {
    const seed = Buffer.from('3132333435363738393031323334353637383930', 'hex');
    expect(activationUri({ secret: new Uint8Array(seed), issuer: 'factordesk', account: 'alice' })).toBe(
      'otpauth://totp/factordesk:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=factordesk&algorithm=SHA1&digits=6&period=30',
    );
    expect(activationUri({ secret: seed.toString('hex'), issuer: 'factordesk', account: 'alice' })).toContain('secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&');
  });

  it('encodes the issuer and the account each on its own, so a colon or a space cannot move the separator', () => {
    const uri = activationUri({ secret: 'ab'.repeat(20), issuer: 'ACME Co', account: 'a:b c@example.com' });
    expect(uri.startsWith('otpauth://totp/ACME%20Co:a%3Ab%20c%40example.com?')).toBe(true);
    const parsed = new URL(uri);
    expect(parsed.searchParams.get('issuer')).toBe('ACME Co');
    expect(decodeURIComponent(parsed.pathname.slice(1).split(':')[1] ?? '')).toBe('a:b c@example.com');
  });

  it('carries a seed an authenticator turns into the same codes as the hub', () => {
    const hex = '0f1e2d3c4b5a69788796a5b4c3d2e1f00112233';
    const secret = new URL(activationUri({ secret: hex + '4', issuer: 'factordesk', account: 'x' })).searchParams.get('secret') ?? '';
    const decoded = base32.decode(secret);
    expect(Buffer.from(decoded).toString('hex')).toBe(hex + '4');
    expect(totpCode(decoded, T0, 30)).toBe(totpCode(hex + '4', T0, 30));
  });

  it("names the account after the phone's first user, else its number, name or id", () => {
    const phone = { phone_id: 'DP9', number: '+15555550199', name: 'desk' };
    expect(activationAccountName(phone, { username: 'bob' })).toBe('bob');
    expect(activationAccountName(phone, undefined)).toBe('+15555550199');
    expect(activationAccountName({ ...phone, number: '' }, undefined)).toBe('desk');
    expect(activationAccountName({ ...phone, number: '', name: '' }, undefined)).toBe('DP9');
  });
});

describe('phonesActivateOperation', () => {
  it('keeps a fresh 20-byte seed at the hub and answers only the phone, the expiry and the mail', async () => {
    const request = activateRequest({ phone_id: 'DP1', valid_hours: 2 });
    const result = await phonesActivateOperation(context(request));
    expect(result).toEqual({ phone_id: 'DP1', expires: clock + 2 * HOUR, emailed_to: null });
    const record = await readActivation(store, ACCOUNT, 'DP1');
    expect(record).toMatchObject({ created: clock, expires: clock + 2 * HOUR, activated: false, last_step: -1, emailed_to: null, request_id: request.request_id });
    expect(record?.secret_hex).toMatch(/^[0-9a-f]{40}$/);
    expect(JSON.stringify(result)).not.toContain(record?.secret_hex);
  });

  it(`is valid ${DEFAULT_VALID_HOURS} hours when no validity is given`, async () => {
    const result = await phonesActivateOperation(context(activateRequest({ phone_id: 'DP1' })));
    expect(result['expires']).toBe(clock + DEFAULT_VALID_HOURS * HOUR);
  });

  it('mails the URI of the kept seed and records where; run again for the same request it mails nothing more', async () => {
    const mailer = fakeMailer();
    const request = activateRequest({ phone_id: 'DP1', valid_hours: 24, email: 'alice@example.com' });
    const first = await phonesActivateOperation(context(request, mailer));
    expect(first).toEqual({ phone_id: 'DP1', expires: clock + 24 * HOUR, emailed_to: 'alice@example.com' });
    const record = await readActivation(store, ACCOUNT, 'DP1');
    expect(mailer.sent).toEqual([
      {
        to: 'alice@example.com',
        otpauthUri: activationUri({ secret: record?.secret_hex ?? '', issuer: 'factordesk', account: 'alice' }),
        account: 'alice',
        issuer: 'factordesk',
        expires: clock + 24 * HOUR,
      },
    ]);
    clock += 60_000;
    expect(await phonesActivateOperation(context(request, mailer))).toEqual(first);
    expect(mailer.sent).toHaveLength(1);
    expect(await readActivation(store, ACCOUNT, 'DP1')).toEqual(record);
  });

  it('mails the same seed when run again after the record was written but before the mail went', async () => {
    const request = activateRequest({ phone_id: 'DP1', valid_hours: 24, email: 'alice@example.com' });
    const interrupted = { secret_hex: 'cd'.repeat(20), created: clock, expires: clock + 24 * HOUR, emailed_to: null, activated: false, last_step: -1, request_id: request.request_id };
    await writeActivation(store, ACCOUNT, 'DP1', interrupted);
    const mailer = fakeMailer();
    await phonesActivateOperation(context(request, mailer));
    expect(mailer.sent.map((m) => m.otpauthUri)).toEqual([activationUri({ secret: 'cd'.repeat(20), issuer: 'factordesk', account: 'alice' })]);
    expect(await readActivation(store, ACCOUNT, 'DP1')).toEqual({ ...interrupted, emailed_to: 'alice@example.com' });
  });

  it('replaces an earlier activation (its link stops working) and marks an activated phone not activated, audited', async () => {
    await phonesActivateOperation(context(activateRequest({ phone_id: 'DP1', valid_hours: 1 })));
    const old = await readActivation(store, ACCOUNT, 'DP1');
    await writeActivation(store, ACCOUNT, 'DP1', { ...old!, activated: true, last_step: 5 });
    const [master] = await store.get(ACCOUNT, 'phones', ['DP1']);
    await authorizedPush(store, ACCOUNT, 'phones', [{ assumedMasterState: master!, newDocumentState: live({ ...master!, activated: true, updated: T0 + 5 }) }], owner, T0 + 5);
    expect((await store.get(ACCOUNT, 'phones', ['DP1']))[0]?.['activated']).toBe(true);
    const audited = (await store.listAudit(ACCOUNT)).length;

    const again = activateRequest({ phone_id: 'DP1', valid_hours: 1 });
    await phonesActivateOperation(context(again));
    const fresh = await readActivation(store, ACCOUNT, 'DP1');
    expect(fresh?.secret_hex).not.toBe(old?.secret_hex);
    expect(fresh).toMatchObject({ activated: false, last_step: -1, request_id: again.request_id });
    const [phone] = await store.get(ACCOUNT, 'phones', ['DP1']);
    expect(phone?.['activated']).toBe(false);
    const audit = await store.listAudit(ACCOUNT);
    expect(audit).toHaveLength(audited + 1);
    expect(audit.at(-1)).toMatchObject({ action: 'phones.update', entity_id: 'DP1', admin_id: owner.admin_id, time: clock });
  });

  it('refuses to mail without an SMTP server, and leaves the previous activation as it was', async () => {
    await phonesActivateOperation(context(activateRequest({ phone_id: 'DP1', valid_hours: 1 })));
    const before = await readActivation(store, ACCOUNT, 'DP1');
    const failure = await phonesActivateOperation(context(activateRequest({ phone_id: 'DP1', valid_hours: 1, email: 'alice@example.com' }))).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OperationFailure);
    expect(failure).toMatchObject({ code: 'UNAVAILABLE', userMessage: expect.stringMatching(/no SMTP server/), details: { phone_id: 'DP1', hint: expect.stringMatching(/smtp/) } });
    expect(await readActivation(store, ACCOUNT, 'DP1')).toEqual(before);
  });

  it('puts the previous activation back when the SMTP server does not take the mail', async () => {
    await phonesActivateOperation(context(activateRequest({ phone_id: 'DP1', valid_hours: 1 })));
    const before = await readActivation(store, ACCOUNT, 'DP1');
    const broken = fakeMailer(new FactordeskError('UNAVAILABLE', 'The SMTP server mail:25 did not take the mail: 550 no'));
    const failure = phonesActivateOperation(context(activateRequest({ phone_id: 'DP1', valid_hours: 1, email: 'alice@example.com' }), broken));
    await expect(failure).rejects.toMatchObject({ code: 'UNAVAILABLE', userMessage: expect.stringMatching(/550 no; nothing was changed/) });
    expect(await readActivation(store, ACCOUNT, 'DP1')).toEqual(before);

    await addPhone('DP2', { type: 'tablet', name: 'tab' });
    await expect(
      phonesActivateOperation(context(activateRequest({ phone_id: 'DP2', valid_hours: 1, email: 'alice@example.com' }), fakeMailer(new Error('socket hang up')))),
    ).rejects.toMatchObject({ code: 'UNAVAILABLE', userMessage: expect.stringMatching(/could not be mailed/) });
    expect(await readActivation(store, ACCOUNT, 'DP2')).toBeUndefined();
  });

  it('refuses a landline, an unknown or deleted phone, a bad validity and a bad address, making nothing', async () => {
    await addPhone('DL1', { type: 'landline', number: '+15555550111' });
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ phone_id: 'DL1', valid_hours: 1 }, 'REFUSED', /landline/],
      [{ phone_id: 'DPNONE', valid_hours: 1 }, 'NOT_FOUND', /No phone DPNONE/],
      [{ phone_id: 'DP1', valid_hours: 0 }, 'INVALID_INPUT', /valid for/],
      [{ phone_id: 'DP1', valid_hours: 24 * 365 }, 'INVALID_INPUT', /valid for/],
      [{ phone_id: 'DP1', valid_hours: '2' }, 'INVALID_INPUT', /valid for/],
      [{ phone_id: 'DP1', valid_hours: 1, email: 'a@b.c, evil@example.com' }, 'INVALID_INPUT', /not an e-mail address/],
    ];
    for (const [params, code, message] of cases) {
      await expect(phonesActivateOperation(context(activateRequest(params), fakeMailer())), JSON.stringify(params)).rejects.toMatchObject({
        code,
        userMessage: expect.stringMatching(message),
      });
    }
    const [phone] = await store.get(ACCOUNT, 'phones', ['DP1']);
    await authorizedPush(store, ACCOUNT, 'phones', [{ assumedMasterState: phone!, newDocumentState: { ...phone!, users: [], deletion: 'explicit', _deleted: true } }], owner, T0 + 9);
    await expect(phonesActivateOperation(context(activateRequest({ phone_id: 'DP1', valid_hours: 1 })))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    for (const id of ['DL1', 'DPNONE', 'DP1']) expect(await readActivation(store, ACCOUNT, id)).toBeUndefined();
  });
});

describe('createActivation', () => {
  it('answers the URI to a direct caller (the Duo Admin API) with its validity in seconds', async () => {
    const created = await createActivation({ store, account: ACCOUNT, now: () => clock, pusher: owner }, { phoneId: 'DP1', validHours: 0.5 });
    const record = await readActivation(store, ACCOUNT, 'DP1');
    expect(created).toEqual({
      phone_id: 'DP1',
      otpauth_uri: activationUri({ secret: record?.secret_hex ?? '', issuer: 'factordesk', account: 'alice' }),
      expires: clock + HOUR / 2,
      emailed_to: null,
      valid_secs: 1800,
      account_name: 'alice',
    });
    expect(record?.request_id).toBeNull();
  });
});
