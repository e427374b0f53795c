/**
 * POST /auth/v1/verify through a hub on a real socket: a user's HOTP token verifies each code once, a disabled or
 * bypass user is answered by status, and ten failures in a row lock the user out (a replicated, audited change).
 * U2F/WebAuthn registrations are enrolled through the hub with a passcode, never pushed by a non-Owner.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, tokenIdForSerial } from '../../../../src/domain/ids.js';
import { newRequest } from '../../../../src/domain/request.js';
import { createUser } from '../../../../src/domain/user.js';
import { hotpCode } from '../../../../src/otp/hotp.js';
import type { VerifyResult } from '../../../../src/rpc/contract.js';
import { ENROLL_U2F_PATH, pushPath, REQUESTS_PATH, VERIFY_PATH, type PushResponse } from '../../../../src/sync/protocol.js';
import { addAdmin, operatorActor } from '../../../../daemon/hub/admin-directory.js';
import { issueCredential } from '../../../../daemon/hub/credentials.js';
import { CREDENTIAL_SECRET_KIND } from '../../../../daemon/hub/enroll/enroll-route.js';
import { initHub } from '../../../../daemon/hub/hub-init.js';
import { readHubConfig, storeUrlOf } from '../../../../daemon/hub/hub-config.js';
import { encodeImportAttachment } from '../../../../daemon/hub/operations/token-import.js';
import { startHub, type HubHandle } from '../../../../daemon/hub/run-hub.js';
import { openStore, pullAll, type HubStore } from '../../../../daemon/hub/store.js';
import { MAX_FAILURES } from '../../../../daemon/hub/verify/verifier.js';
import { readSkey, signedRequest, tempDir, type Credential } from '../../../helpers/hub-wire.js';

const RFC_HEX = '3132333435363738393031323334353637383930';
const SEED = Buffer.from(RFC_HEX, 'hex');
const base = tempDir('fd-hub-verify-');
const hubDir = path.join(base, 'hub');
let hub: HubHandle;
let url: string;
let owner: Credential & { adminId: string };
let inspect: HubStore;

async function until(probe: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out');
}

const verify = async (user: string, passcode: string) => (await signedRequest<VerifyResult>({ url, credential: owner, path: VERIFY_PATH, body: { user, passcode } })).body;

async function addUser(username: string, status: string, tokenSerial?: string) {
  const user = { ...createUser({ username }, Date.now(), newId('DU')), status, _deleted: false };
  await signedRequest({ url, credential: owner, path: pushPath('users'), body: { rows: [{ newDocumentState: user }] } });
  if (tokenSerial) {
    const [token] = await inspect.get('default', 'tokens', [tokenIdForSerial(tokenSerial)]);
    const next = { ...token!, users: [user.user_id] };
    await signedRequest({ url, credential: owner, path: pushPath('tokens'), body: { rows: [{ assumedMasterState: token, newDocumentState: next }] } });
  }
  return user;
}

beforeAll(async () => {
  const init = await initHub({ hubDir, listen: { host: '127.0.0.1', port: 0 }, owner: { name: 'Olive' } });
  if (!init.owner) throw new Error('no owner');
  inspect = await openStore(storeUrlOf(readHubConfig(hubDir), hubDir));
  const olive = (await pullAll(inspect, 'default', 'admins')).documents[0]!;
  owner = { ikey: init.owner.ikey, skey: readSkey(init.owner.skeyFile), adminId: String(olive['admin_id']) };
  hub = await startHub({ hubDir, logLevel: 'warn' });
  url = hub.info.url;
  const request = newRequest({ kind: 'tokens.import', params: { format: 'duo-csv', type: 'h6' }, adminId: owner.adminId }, Date.now());
  const csv = `V-1,${RFC_HEX},0\nV-2,${RFC_HEX},0\n`;
  await signedRequest({ url, credential: owner, path: REQUESTS_PATH, body: { request, attachment: encodeImportAttachment({ content: csv }) } });
  await until(async () => (await inspect.get('default', 'requests', [request.request_id]))[0]?.['status'] === 'done');
});

afterAll(async () => {
  await hub?.stop('test done');
  await inspect?.close();
  fs.rmSync(base, { recursive: true, force: true });
});

describe('verify', () => {
  it("accepts the user's HOTP codes once each, by username, and tells which token", async () => {
    await addUser('vera', 'active', 'V-1');
    expect(await verify('vera', hotpCode(SEED, 0))).toEqual({ ok: true, via: 'token:V-1' });
    expect(await verify('VERA', hotpCode(SEED, 0))).toMatchObject({ ok: false, reason: 'Invalid passcode.' });
    expect(await verify('vera', hotpCode(SEED, 4))).toEqual({ ok: true, via: 'token:V-1' });
    expect(await verify('vera', hotpCode(SEED, 2))).toMatchObject({ ok: false });
    expect(await verify('nobody', '123456')).toEqual({ ok: false, reason: 'No such user.' });
  });

  it("refuses a key whose role cannot see users (Billing)", async () => {
    const billing = await addAdmin(inspect, 'default', { name: 'Bill', role: 'Billing' }, operatorActor('root'), Date.now());
    const key = await issueCredential(inspect, 'default', billing.admin_id, Date.now());
    const res = await signedRequest<{ stat: string; message: string }>({ url, credential: key, path: VERIFY_PATH, body: { user: 'vera', passcode: '123456' } });
    expect(res.status).toBe(403);
    expect(res.body.stat).toBe('FAIL');
  });

  it('answers disabled and bypass users by their status', async () => {
    await addUser('dora', 'disabled', 'V-2');
    expect(await verify('dora', hotpCode(SEED, 0))).toMatchObject({ ok: false, reason: 'dora is disabled.' });
    await addUser('bea', 'bypass');
    expect(await verify('bea', 'anything')).toEqual({ ok: true, via: 'bypass' });
  });

  it(`locks a user out after ${MAX_FAILURES} failures in a row, audited and replicated`, async () => {
    const user = await addUser('luke', 'active');
    for (let i = 0; i < MAX_FAILURES - 1; i++) expect((await verify('luke', '000000')).ok).toBe(false);
    expect((await inspect.get('default', 'users', [user.user_id]))[0]?.['status']).toBe('active');
    expect((await verify('luke', '000000')).reason).toMatch(/locked out after 10 failed attempts/);
    expect((await inspect.get('default', 'users', [user.user_id]))[0]?.['status']).toBe('locked out');
    expect((await verify('luke', '000000')).reason).toMatch(/is locked out/);
    const audit = (await pullAll(inspect, 'default', 'audit')).documents.map((e) => String(e['summary']));
    expect(audit.some((s) => s.includes('luke') && s.includes('locked out after 10 failed passcodes'))).toBe(true);
  });
});

describe('U2F/WebAuthn enrollment', () => {
  const credential = { kind: 'WebAuthn', credential_name: 'YubiKey 5C', label: 'desk key', credential_id: 'AAECAwQFBgcICQ', public_key: 'pQECAyYgASFYIA' };

  it('creates a registration for a user who proves presence with a passcode; the key stays at the hub', async () => {
    const user = await addUser('uma', 'active');
    const [token] = await inspect.get('default', 'tokens', [tokenIdForSerial('V-2')]);
    await signedRequest({ url, credential: owner, path: pushPath('tokens'), body: { rows: [{ assumedMasterState: token, newDocumentState: { ...token!, users: [...(token!['users'] as string[]), user.user_id] } }] } });
    const refused = await signedRequest<{ stat: string }>({ url, credential: owner, path: ENROLL_U2F_PATH, body: { user: 'uma', passcode: '000000', ...credential } });
    expect(refused.status).toBe(403);
    expect((await pullAll(inspect, 'default', 'u2f')).documents).toEqual([]);

    const res = await signedRequest<{ registration_id: string; kind: string; user_id: string }>({
      url, credential: owner, path: ENROLL_U2F_PATH, body: { user: 'uma', passcode: hotpCode(SEED, 0), ...credential },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'webauthn', user_id: user.user_id, credential_name: 'YubiKey 5C' });
    const docs = (await pullAll(inspect, 'default', 'u2f')).documents;
    expect(docs).toHaveLength(1);
    expect(JSON.stringify(docs)).not.toContain('pQECAyYgASFYIA');
    expect(await inspect.getSecret('default', CREDENTIAL_SECRET_KIND, res.body.registration_id)).toEqual({ credential_id: 'AAECAwQFBgcICQ', public_key: 'pQECAyYgASFYIA' });
    const audit = (await pullAll(inspect, 'default', 'audit')).documents.map((e) => String(e['summary']));
    expect(audit.some((s) => s.includes("'YubiKey 5C'") && s.includes('enrolled by uma'))).toBe(true);
  });

  it('refuses a registration pushed by an administrator who is not an Owner', async () => {
    const admin = await addAdmin(inspect, 'default', { name: 'Ada', role: 'Administrator' }, operatorActor('root'), Date.now());
    const key = await issueCredential(inspect, 'default', admin.admin_id, Date.now());
    const doc = { registration_id: newId('DR'), kind: 'u2f', user_id: 'DU0', credential_name: 'k', label: '', date_added: 1, _deleted: false };
    const res = await signedRequest<PushResponse>({ url, credential: key, path: pushPath('u2f'), body: { rows: [{ newDocumentState: doc }] } });
    expect(res.body.refused).toEqual([expect.objectContaining({ code: 'FORBIDDEN', reason: expect.stringMatching(/Only an Owner can migrate U2F\/WebAuthn registrations/) })]);
  });
});
