import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { certificateFingerprint, generateSelfSigned, isFingerprint, loadTls } from '../../../daemon/hub/tls.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-hub-tls-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('self-signed certificates', () => {
  it('covers localhost, the loopback addresses and the public hosts, and reports its SHA-256 fingerprint', async () => {
    const certFile = path.join(dir, 'a', 'cert.pem');
    const keyFile = path.join(dir, 'a', 'key.pem');
    const fingerprint = await generateSelfSigned({ hosts: ['hub.example.com', '10.1.2.3:8443'], certFile, keyFile });
    expect(isFingerprint(fingerprint)).toBe(true);
    const cert = new X509Certificate(fs.readFileSync(certFile));
    expect(cert.fingerprint256).toBe(fingerprint);
    expect(cert.subjectAltName).toContain('DNS:localhost');
    expect(cert.subjectAltName).toContain('DNS:hub.example.com');
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.subjectAltName).toContain('IP Address:10.1.2.3');
    expect(cert.checkHost('hub.example.com')).toBe('hub.example.com');
    expect(new Date(cert.validTo).getTime()).toBeGreaterThan(Date.now() + 4 * 365 * 86_400_000);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(loadTls({ cert: certFile, key: keyFile }).fingerprint).toBe(fingerprint);
    expect(certificateFingerprint(fs.readFileSync(certFile, 'utf8'))).toBe(fingerprint);
  });

  it('refuses a key that does not belong to the certificate, and files that are not PEM', async () => {
    const a = { certFile: path.join(dir, 'b', 'cert.pem'), keyFile: path.join(dir, 'b', 'key.pem') };
    const b = { certFile: path.join(dir, 'c', 'cert.pem'), keyFile: path.join(dir, 'c', 'key.pem') };
    await generateSelfSigned({ hosts: [], ...a });
    await generateSelfSigned({ hosts: [], ...b });
    expect(() => loadTls({ cert: a.certFile, key: b.keyFile })).toThrow(/does not belong/);
    expect(() => loadTls({ cert: a.keyFile, key: a.keyFile })).toThrow(/not a PEM certificate/);
    expect(() => loadTls({ cert: path.join(dir, 'none'), key: a.keyFile })).toThrow(/cannot read/);
  });
});
