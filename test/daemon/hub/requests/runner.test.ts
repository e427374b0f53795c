/**
 * Server-side requests through a hub on a real socket: written with a file (import) or pushed like any document
 * (resync), claimed and answered by the hub, refused for the wrong role or author, and never leaking a secret into
 * a pulled document.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRequest } from '../../../../src/domain/request.js';
import type { ServerRequest } from '../../../../src/domain/schemas.js';
import { tokenIdForSerial } from '../../../../src/domain/ids.js';
import { hotpCode } from '../../../../src/otp/hotp.js';
import { pushPath, REQUESTS_PATH, type PushResponse } from '../../../../src/sync/protocol.js';
import { addAdmin, operatorActor } from '../../../../daemon/hub/admin-directory.js';
import { issueCredential } from '../../../../daemon/hub/credentials.js';
import { initHub } from '../../../../daemon/hub/hub-init.js';
import { readHubConfig, storeUrlOf } from '../../../../daemon/hub/hub-config.js';
import { encodeImportAttachment } from '../../../../daemon/hub/operations/token-import.js';
import { MAX_RESYNC_FAILURES } from '../../../../daemon/hub/operations/token-resync.js';
import { ATTACHMENT_KIND } from '../../../../daemon/hub/requests/runner.js';
import { startHub, type HubHandle } from '../../../../daemon/hub/run-hub.js';
import { openStore, pullAll, type HubStore } from '../../../../daemon/hub/store.js';
import { readTokenSecret } from '../../../../daemon/hub/token-secrets.js';
import { readSkey, signedRequest, tempDir, type Credential } from '../../../helpers/hub-wire.js';

const RFC4226_HEX = '3132333435363738393031323334353637383930';
const base = tempDir('fd-hub-requests-');
const hubDir = path.join(base, 'hub');
let hub: HubHandle;
let url: string;
let owner: Credential & { adminId: string };
let helpDesk: Credential & { adminId: string };
let inspect: HubStore;

beforeAll(async () => {
  const init = await initHub({ hubDir, listen: { host: '127.0.0.1', port: 0 }, owner: { name: 'Olive' } });
  if (!init.owner) throw new Error('no owner');
  inspect = await openStore(storeUrlOf(readHubConfig(hubDir), hubDir));
  const olive = (await pullAll(inspect, 'default', 'admins')).documents[0]!;
  owner = { ikey: init.owner.ikey, skey: readSkey(init.owner.skeyFile), adminId: String(olive['admin_id']) };
  const hank = await addAdmin(inspect, 'default', { name: 'Hank', role: 'Help Desk' }, operatorActor('root'), Date.now());
  const hankKey = await issueCredential(inspect, 'default', hank.admin_id, Date.now());
  helpDesk = { ...hankKey, adminId: hank.admin_id };
  hub = await startHub({ hubDir, logLevel: 'warn' });
  url = hub.info.url;
});

afterAll(async () => {
  await hub?.stop('test done');
  await inspect?.close();
  fs.rmSync(base, { recursive: true, force: true });
});

async function answered(id: string): Promise<ServerRequest> {
  for (let i = 0; i < 200; i++) {
    const [doc] = await inspect.get('default', 'requests', [id]);
    if (doc && (doc['status'] === 'done' || doc['status'] === 'failed')) return doc as unknown as ServerRequest;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`request ${id} was not answered`);
}

async function importFile(who: Credential & { adminId: string }, content: string, params: Record<string, unknown>, kind: 'tokens.import' | 'tokens.receive' = 'tokens.import') {
  const request = newRequest({ kind, params, adminId: who.adminId }, Date.now());
  const res = await signedRequest({ url, credential: who, path: REQUESTS_PATH, body: { request, attachment: encodeImportAttachment({ content }) } });
  return { request, res };
}

async function pushRequest(who: Credential & { adminId: string }, request: ServerRequest) {
  return signedRequest<PushResponse>({ url, credential: who, path: pushPath('requests'), body: { rows: [{ newDocumentState: { ...request, _deleted: false } }] } });
}

describe('tokens.import', () => {
  it('imports a file sent with the request: documents without secrets, seeds in the secret store, the file gone', async () => {
    const csv = `HOTP-1,${RFC4226_HEX},0\nHOTP-2,${RFC4226_HEX},5\n`;
    const { request, res } = await importFile(owner, csv, { format: 'duo-csv', type: 'h6' });
    expect(res.status).toBe(201);
    const done = await answered(request.request_id);
    expect(done).toMatchObject({ status: 'done', result: { imported: 2, by_type: { h6: 2 } }, error_code: '', hub_id: hub.info.hub_id });
    const tokens = (await pullAll(inspect, 'default', 'tokens')).documents;
    expect(tokens.map((t) => t['serial']).sort()).toEqual(['HOTP-1', 'HOTP-2']);
    expect(JSON.stringify(tokens)).not.toContain(RFC4226_HEX);
    expect(JSON.stringify((await pullAll(inspect, 'default', 'requests')).documents)).not.toContain(RFC4226_HEX);
    expect((await readTokenSecret(inspect, 'default', tokenIdForSerial('HOTP-2')))?.counter).toBe(5);
    expect(await inspect.getSecret('default', ATTACHMENT_KIND, request.request_id)).toBeUndefined();
    const audit = (await pullAll(inspect, 'default', 'audit')).documents.map((e) => String(e['summary']));
    expect(audit.some((s) => s.includes('HOTP-1') && s.includes(`request ${request.request_id}`))).toBe(true);
  });

  it('fails a file with a bad row, names the row, and imports nothing', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `BULK-${i},${RFC4226_HEX},0`);
    rows[13] = 'BULK-13,not-a-secret,0';
    const { request } = await importFile(owner, rows.join('\n') + '\n', { format: 'duo-csv', type: 'h6' });
    const failed = await answered(request.request_id);
    expect(failed.status).toBe('failed');
    expect(failed.error_code).toBe('INVALID_INPUT');
    expect((failed.result as { errors: { line: number; field: string }[] }).errors).toEqual([expect.objectContaining({ line: 14, field: 'secret' })]);
    const serials = (await pullAll(inspect, 'default', 'tokens')).documents.map((t) => String(t['serial']));
    expect(serials.filter((s) => s.startsWith('BULK-'))).toEqual([]);
    expect(await readTokenSecret(inspect, 'default', tokenIdForSerial('BULK-0'))).toBeUndefined();
  });

  it('refuses serials the hub already has, with the rows named', async () => {
    const { request } = await importFile(owner, `HOTP-1,${RFC4226_HEX},0\nFRESH-1,${RFC4226_HEX},0\n`, { format: 'duo-csv', type: 'h6' });
    const failed = await answered(request.request_id);
    expect(failed).toMatchObject({ status: 'failed', error_code: 'INVALID_INPUT' });
    expect((failed.result as { errors: { line: number; reason: string }[] }).errors[0]).toMatchObject({ line: 1 });
    expect(await readTokenSecret(inspect, 'default', tokenIdForSerial('FRESH-1'))).toBeUndefined();
  });

  it('refuses a Help Desk administrator receiving vendor tokens, leaving no file behind', async () => {
    const { request, res } = await importFile(helpDesk, `D-1,${RFC4226_HEX}\n`, { format: 'oath-csv' }, 'tokens.receive');
    expect(res.status).toBe(403);
    expect(await inspect.get('default', 'requests', [request.request_id])).toEqual([]);
    expect(await inspect.getSecret('default', ATTACHMENT_KIND, request.request_id)).toBeUndefined();
  });
});

describe('tokens.resync', () => {
  it('moves the counter past three consecutive codes; the same codes then fail', async () => {
    const codes = [5, 6, 7].map((c) => hotpCode(Buffer.from(RFC4226_HEX, 'hex'), c));
    expect(codes).toEqual(['254676', '287922', '162583']);
    const first = newRequest({ kind: 'tokens.resync', params: { token_id: tokenIdForSerial('HOTP-1'), codes }, adminId: helpDesk.adminId }, Date.now());
    const res = await pushRequest(helpDesk, first);
    expect(res.body.refused).toEqual([]);
    expect(await answered(first.request_id)).toMatchObject({ status: 'done', result: { serial: 'HOTP-1', skipped: 5 } });
    expect((await readTokenSecret(inspect, 'default', tokenIdForSerial('HOTP-1')))?.counter).toBe(8);

    const again = newRequest({ kind: 'tokens.resync', params: { token_id: tokenIdForSerial('HOTP-1'), codes }, adminId: helpDesk.adminId }, Date.now());
    await pushRequest(helpDesk, again);
    expect(await answered(again.request_id)).toMatchObject({ status: 'failed', error_code: 'INVALID_INPUT' });
    expect((await readTokenSecret(inspect, 'default', tokenIdForSerial('HOTP-1')))?.counter).toBe(8);
  });

  it('refuses a TOTP token with the reference message', async () => {
    const { request } = await importFile(owner, `TOTP-1,${RFC4226_HEX},30\n`, { format: 'duo-csv', type: 't6' });
    expect((await answered(request.request_id)).status).toBe('done');
    const resync = newRequest({ kind: 'tokens.resync', params: { token_id: tokenIdForSerial('TOTP-1'), codes: ['123456', '234567', '345678'] }, adminId: owner.adminId }, Date.now());
    await pushRequest(owner, resync);
    const failed = await answered(resync.request_id);
    expect(failed).toMatchObject({ status: 'failed', error_code: 'REFUSED' });
    expect(failed.error_message).toMatch(/TOTP/);
  });

  it(`locks resync of a token after ${MAX_RESYNC_FAILURES} failed attempts`, async () => {
    const id = tokenIdForSerial('HOTP-2');
    const outcomes: string[] = [];
    for (let i = 0; i <= MAX_RESYNC_FAILURES; i++) {
      const r = newRequest({ kind: 'tokens.resync', params: { token_id: id, codes: ['000000', '000001', '000002'] }, adminId: owner.adminId }, Date.now());
      await pushRequest(owner, r);
      outcomes.push((await answered(r.request_id)).error_message);
    }
    expect(outcomes.slice(0, MAX_RESYNC_FAILURES).every((m) => !/Too many/.test(m))).toBe(true);
    expect(outcomes[MAX_RESYNC_FAILURES]).toMatch(/Too many failed resync attempts for token HOTP-2/);
  });

  it('refuses a request written in another administrator\'s name, and any change to a request', async () => {
    const forged = newRequest({ kind: 'tokens.resync', params: { token_id: tokenIdForSerial('HOTP-1'), codes: ['1', '2', '3'] }, adminId: owner.adminId }, Date.now());
    const res = await pushRequest(helpDesk, forged);
    expect(res.body.refused).toEqual([expect.objectContaining({ code: 'FORBIDDEN', id: forged.request_id })]);
    expect(await inspect.get('default', 'requests', [forged.request_id])).toEqual([]);

    const [answeredDoc] = await inspect.get('default', 'requests', [(await pullAll(inspect, 'default', 'requests')).documents[0]!['request_id'] as string]);
    const tampered = { ...answeredDoc!, status: 'pending', result: {} };
    const change = await signedRequest<PushResponse>({
      url,
      credential: owner,
      path: pushPath('requests'),
      body: { rows: [{ assumedMasterState: answeredDoc, newDocumentState: tampered }] },
    });
    expect(change.body.refused).toEqual([expect.objectContaining({ code: 'REFUSED' })]);
  });
});
