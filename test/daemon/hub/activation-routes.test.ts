/**
 * Phone activation through a hub on a real socket, with SMTP configured to a local server: a `phones.activate`
 * request pushed like any document is run by the hub and mailed; `GET /sync/v1/activations/:phone_id` shows the
 * URI to a role that may send activations (403 otherwise), 404 without one, refuses an expired or used one; and
 * the seed is in no pulled document and no log line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPhone } from '../../../src/domain/phone.js';
import { newRequest } from '../../../src/domain/request.js';
import type { ServerRequest } from '../../../src/domain/schemas.js';
import { createUser } from '../../../src/domain/user.js';
import type { ActivationView } from '../../../src/rpc/contract.js';
import { activationPath, pushPath, type PushResponse } from '../../../src/sync/protocol.js';
import { hubPaths } from '../../../src/paths.js';
import { readActivation, writeActivation } from '../../../daemon/hub/activation-secrets.js';
import { addAdmin, operatorActor } from '../../../daemon/hub/admin-directory.js';
import { issueCredential } from '../../../daemon/hub/credentials.js';
import { initHub } from '../../../daemon/hub/hub-init.js';
import { readHubConfig, storeUrlOf, writeHubConfig } from '../../../daemon/hub/hub-config.js';
import { activationUri } from '../../../daemon/hub/operations/phone-activation.js';
import { startHub, type HubHandle } from '../../../daemon/hub/run-hub.js';
import { openStore, pullAll, type HubStore } from '../../../daemon/hub/store.js';
import { readSkey, signedRequest, tempDir, type Credential } from '../../helpers/hub-wire.js';
import { mailPart, startSmtpCapture, type SmtpCapture } from '../../helpers/smtp-capture.js';

const base = tempDir('fd-hub-activation-');
const hubDir = path.join(base, 'hub');
type Admin = Credential & { adminId: string };
let hub: HubHandle;
let url: string;
let owner: Admin;
let helpDesk: Admin;
let billing: Admin;
let inspect: HubStore;
let smtp: SmtpCapture;

async function admin(name: string, role: 'Help Desk' | 'Billing'): Promise<Admin> {
  const added = await addAdmin(inspect, 'default', { name, role }, operatorActor('root'), Date.now());
  const key = await issueCredential(inspect, 'default', added.admin_id, Date.now());
  return { ...key, adminId: added.admin_id };
}

async function push(who: Admin, collection: 'users' | 'phones' | 'requests', doc: object): Promise<void> {
  const res = await signedRequest<PushResponse>({ url, credential: who, path: pushPath(collection), body: { rows: [{ newDocumentState: { ...doc, _deleted: false } }] } });
  expect(res.body.refused).toEqual([]);
}

async function answered(id: string): Promise<ServerRequest> {
  for (let i = 0; i < 400; i++) {
    const [doc] = await inspect.get('default', 'requests', [id]);
    if (doc && (doc['status'] === 'done' || doc['status'] === 'failed')) return doc as unknown as ServerRequest;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`request ${id} was not answered`);
}

async function activate(who: Admin, params: Record<string, unknown>): Promise<ServerRequest> {
  const request = newRequest({ kind: 'phones.activate', params, adminId: who.adminId }, Date.now());
  await push(who, 'requests', request);
  return answered(request.request_id);
}

const show = (who: Admin, phoneId: string) => signedRequest<ActivationView & { message?: string; message_detail?: string }>({ url, credential: who, path: activationPath(phoneId) });

beforeAll(async () => {
  smtp = await startSmtpCapture();
  const init = await initHub({ hubDir, listen: { host: '127.0.0.1', port: 0 }, owner: { name: 'Olive' } });
  if (!init.owner) throw new Error('no owner');
  writeHubConfig(hubDir, { ...readHubConfig(hubDir), smtp: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'factordesk <2fa@example.com>' } });
  inspect = await openStore(storeUrlOf(readHubConfig(hubDir), hubDir));
  const olive = (await pullAll(inspect, 'default', 'admins')).documents[0]!;
  owner = { ikey: init.owner.ikey, skey: readSkey(init.owner.skeyFile), adminId: String(olive['admin_id']) };
  helpDesk = await admin('Hank', 'Help Desk');
  billing = await admin('Bill', 'Billing');
  hub = await startHub({ hubDir, logLevel: 'info' });
  url = hub.info.url;
  const now = Date.now();
  await push(owner, 'users', createUser({ username: 'alice', email: 'alice@example.com' }, now, 'DUALICE'));
  await push(owner, 'phones', createPhone({ number: '+15555550100', platform: 'apple ios' }, 'DUALICE', now, 'DPALICE'));
  await push(owner, 'phones', createPhone({ type: 'tablet', name: 'spare tablet' }, 'DUALICE', now, 'DPTABLET'));
  await push(owner, 'phones', createPhone({ type: 'landline', number: '+15555550111' }, 'DUALICE', now, 'DPDESK'));
});

afterAll(async () => {
  await hub?.stop('test done');
  await inspect?.close();
  await smtp?.close();
  fs.rmSync(base, { recursive: true, force: true });
});

describe('phones.activate at the hub', () => {
  it('creates and mails the activation; the answer, the documents and the log hold no seed', async () => {
    const done = await activate(helpDesk, { phone_id: 'DPALICE', valid_hours: 24, email: 'alice@example.com' });
    expect(done).toMatchObject({ status: 'done', error_code: '', result: { phone_id: 'DPALICE', emailed_to: 'alice@example.com' } });
    const record = await readActivation(inspect, 'default', 'DPALICE');
    expect(record?.request_id).toBe(done.request_id);
    const uri = activationUri({ secret: record!.secret_hex, issuer: 'factordesk', account: 'alice' });

    const mail = await smtp.waitForMail(1);
    expect(mail.to).toEqual(['alice@example.com']);
    expect(mailPart(mail.raw, 'text/plain')?.content.toString('utf8')).toContain(uri);
    expect(mailPart(mail.raw, 'image/png')?.content.subarray(1, 4).toString('latin1')).toBe('PNG');

    const seed32 = new URL(uri).searchParams.get('secret')!;
    const documents = JSON.stringify(await Promise.all(['requests', 'phones', 'users', 'audit'].map((c) => pullAll(inspect, 'default', c))));
    for (const secret of [record!.secret_hex, seed32]) expect(documents).not.toContain(secret);
    await hub.stop('flush the log');
    const log = fs.readFileSync(hubPaths(hubDir).logFile, 'utf8');
    expect(log).toMatch(/"phone_id":"DPALICE".*"to":"alice@example.com".*"activation mailed"/);
    for (const secret of [record!.secret_hex, seed32]) expect(log).not.toContain(secret);
    hub = await startHub({ hubDir, logLevel: 'info' });
    url = hub.info.url;
  });

  it('shows the URI to a role that may send activations, and not to one that may not', async () => {
    const record = await readActivation(inspect, 'default', 'DPALICE');
    const res = await show(helpDesk, 'DPALICE');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      phone_id: 'DPALICE',
      otpauth_uri: activationUri({ secret: record!.secret_hex, issuer: 'factordesk', account: 'alice' }),
      expires: record!.expires,
      emailed_to: 'alice@example.com',
    });
    const denied = await show(billing, 'DPALICE');
    expect(denied.status).toBe(403);
    expect(JSON.stringify(denied.body)).not.toContain(record!.secret_hex.slice(0, 8));
    expect(denied.body.message).toMatch(/Billing administrators cannot send Duo Mobile activations/);
  });

  it('answers 404 for a phone without an activation or no phone, and refuses a landline', async () => {
    expect((await show(owner, 'DPTABLET')).status).toBe(404);
    expect((await show(owner, 'DPNONE')).status).toBe(404);
    const landline = await activate(owner, { phone_id: 'DPDESK', valid_hours: 1 });
    expect(landline).toMatchObject({ status: 'failed', error_code: 'REFUSED' });
    expect(landline.error_message).toMatch(/landline/);
  });

  it('refuses an expired activation, and one already used', async () => {
    const done = await activate(owner, { phone_id: 'DPTABLET', valid_hours: 1 });
    expect(done.result).toMatchObject({ phone_id: 'DPTABLET', emailed_to: null });
    expect((await show(owner, 'DPTABLET')).status).toBe(200);
    const record = (await readActivation(inspect, 'default', 'DPTABLET'))!;
    await writeActivation(inspect, 'default', 'DPTABLET', { ...record, expires: Date.now() - 1000 });
    const expired = await show(owner, 'DPTABLET');
    expect(expired.status).toBe(409);
    expect(expired.body.message).toMatch(/expired; send a new activation/);
    await writeActivation(inspect, 'default', 'DPTABLET', { ...record, activated: true, last_step: 1 });
    const used = await show(owner, 'DPTABLET');
    expect(used.status).toBe(409);
    expect(used.body.message).toMatch(/used already/);
  });
});
