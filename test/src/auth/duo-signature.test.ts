import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalDuoHeaders,
  canonicalParams,
  canonicalRequest,
  formatDuoDate,
  parseAuthorization,
  parseDuoDate,
  signRequest,
  verifyRequest,
  verifyRequestAsync,
  type RequestHeaders,
  type VerifyInput,
} from '../../../src/auth/duo-signature.js';

const VECTOR = {
  ikey: 'test_ikey',
  skey: 'test_skey',
  method: 'POST',
  host: 'test.duosecurity.com',
  path: '/test/v1',
  params: { realname: 'First Last', username: 'root' },
  date: 'Tue, 21 Aug 2012 17:29:18 -0000',
} as const;

const sha512 = (s: string) => createHash('sha512').update(s).digest('hex');

describe('canonicalParams', () => {
  it('is empty for no parameters', () => {
    expect(canonicalParams({})).toBe('');
  });

  it('sorts keys, with a key that is a prefix of another first', () => {
    expect(canonicalParams({ foo_bar: '2', foo: '1' })).toBe('foo=1&foo_bar=2');
    expect(canonicalParams({ username: 'root', realname: 'First Last' })).toBe('realname=First%20Last&username=root');
  });

  it('encodes every printable ASCII character except unreserved ones, including !\'()*', () => {
    expect(
      canonicalParams({
        digits: '0123456789',
        letters: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
        punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
        whitespace: '\t\n\x0b\x0c\r ',
      }),
    ).toBe(
      'digits=0123456789&letters=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ' +
        '&punctuation=%21%22%23%24%25%26%27%28%29%2A%2B%2C-.%2F%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E_%60%7B%7C%7D~' +
        '&whitespace=%09%0A%0B%0C%0D%20',
    );
    expect(canonicalParams({ q: "!'()*~" })).toBe('q=%21%27%28%29%2A~');
  });

  it('percent-encodes unicode keys and values as UTF-8 bytes', () => {
    expect(canonicalParams({ bar: '\u2815\uaaa3\u37cf' })).toBe('bar=%E2%A0%95%EA%AA%A3%E3%9F%8F');
    expect(canonicalParams({ 'ü': 'é😀' })).toBe('%C3%BC=%C3%A9%F0%9F%98%80');
  });

  it('repeats a key for each of its values, in the order given', () => {
    expect(canonicalParams({ b: '1', a: ['z', 'x', 'y'] })).toBe('a=z&a=x&a=y&b=1');
    expect(canonicalParams([['a', 'z'], ['b', '1'], ['a', 'x']])).toBe('a=z&a=x&b=1');
    expect(canonicalParams(new URLSearchParams('a=z&b=1&a=x'))).toBe('a=z&a=x&b=1');
  });

  it('keeps empty values as key=', () => {
    expect(canonicalParams({ a: '', b: [''] })).toBe('a=&b=');
  });
});

describe('canonicalRequest', () => {
  it('v2: date, upper-case method, lower-case host, path, params', () => {
    expect(
      canonicalRequest({ date: 'D', method: 'PoSt', host: 'foO.BAr52.cOm', path: '/Foo/BaR2/qux', params: { a: 'b c' }, version: 2 }),
    ).toBe('D\nPOST\nfoo.bar52.com\n/Foo/BaR2/qux\na=b%20c');
  });

  it('v5: the five lines (params empty for a JSON body), the body hash, the X-Duo headers hash', () => {
    const body = JSON.stringify({ username: 'alice' });
    expect(
      canonicalRequest({ date: 'D', method: 'post', host: 'H', path: '/p', params: {}, body, version: 5 }),
    ).toBe(`D\nPOST\nh\n/p\n\n${sha512(body)}\n${sha512('')}`);
  });

  it('v5: hashes X-Duo headers lower-cased and sorted, joined by NUL', () => {
    expect(canonicalDuoHeaders({ 'X-Duo-B': '2', 'x-duo-a': '1' })).toBe(sha512('x-duo-a\u00001\u0000x-duo-b\u00002'));
    expect(() => canonicalDuoHeaders({ 'X-Other': '1' })).toThrow(/X-Duo-/);
    expect(() => canonicalDuoHeaders({ 'X-Duo-A': '1', 'x-duo-a': '2' })).toThrow(/twice/);
  });
});

describe('signRequest', () => {
  it('matches the published Duo test vector (v2)', () => {
    const headers = signRequest(VECTOR);
    expect(headers.Date).toBe(VECTOR.date);
    expect(headers.Authorization.startsWith('Basic dGVzdF9pa2V5OjA0MmEzMGM2')).toBe(true);
  });

  it('is base64(ikey:hex HMAC-SHA512 of the canonical request)', () => {
    const canonical = canonicalRequest({ ...VECTOR, version: 2 });
    const hmac = createHmac('sha512', VECTOR.skey).update(canonical).digest('hex');
    expect(signRequest(VECTOR).Authorization).toBe(`Basic ${Buffer.from(`test_ikey:${hmac}`).toString('base64')}`);
  });

  it('formats a Date argument as RFC 2822', () => {
    const at = new Date(Date.UTC(2012, 7, 21, 17, 29, 18));
    expect(signRequest({ ...VECTOR, date: at })).toEqual(signRequest(VECTOR));
  });
});

describe('parseAuthorization', () => {
  it('gives the ikey and the signature', () => {
    const parsed = parseAuthorization(signRequest(VECTOR).Authorization);
    expect(parsed?.ikey).toBe('test_ikey');
    expect(parsed?.signature).toMatch(/^042a30c6[0-9a-f]{120}$/);
  });

  it('refuses garbled headers', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    for (const header of [
      undefined,
      '',
      'Bearer abc',
      'Basic',
      'Basic !!!!',
      `Basic ${b64('no-colon')}`,
      `Basic ${b64(':' + 'a'.repeat(128))}`,
      `Basic ${b64('ikey:' + 'a'.repeat(127))}`,
      `Basic ${b64('ikey:' + 'g'.repeat(128))}`,
    ]) {
      expect(parseAuthorization(header), String(header)).toBeUndefined();
    }
  });
});

describe('Duo dates', () => {
  const at = new Date(Date.UTC(2012, 7, 21, 17, 29, 18));

  it('formats as RFC 2822 with -0000', () => {
    expect(formatDuoDate(at)).toBe('Tue, 21 Aug 2012 17:29:18 -0000');
  });

  it('parses the -0000, GMT and numeric-offset forms', () => {
    expect(parseDuoDate('Tue, 21 Aug 2012 17:29:18 -0000')).toEqual(at);
    expect(parseDuoDate('Tue, 21 Aug 2012 17:29:18 GMT')).toEqual(at);
    expect(parseDuoDate(at.toUTCString())).toEqual(at);
    expect(parseDuoDate('Tue, 21 Aug 2012 19:29:18 +0200')).toEqual(at);
    expect(parseDuoDate('21 Aug 2012 17:29:18 +0000')).toEqual(at);
  });

  it('refuses garbled dates', () => {
    for (const value of ['', 'yesterday', '2012-08-21T17:29:18Z', 'Wed, 21 Aug 2012 17:29:18 GMT',
      'Tue, 31 Feb 2012 17:29:18 GMT', 'Tue, 21 Aug 2012 25:29:18 GMT', 'Tue, 21 Foo 2012 17:29:18 GMT']) {
      expect(parseDuoDate(value), value).toBeUndefined();
    }
  });
});

describe('verifyRequest', () => {
  const now = new Date(Date.UTC(2026, 0, 15, 12, 0, 0));
  const keys = new Map([['DIKEY1', 'secret-one'], ['DIKEY2', 'secret-two']]);
  const lookupSecret = (ikey: string) => keys.get(ikey);

  function signedGet(options: { skey?: string; date?: Date } = {}): VerifyInput {
    const params = { username: 'alice', limit: '100' };
    const signed = signRequest({
      ikey: 'DIKEY1', skey: options.skey ?? 'secret-one', date: options.date ?? now,
      method: 'GET', host: 'hub.example', path: '/admin/v1/users', params,
    });
    return {
      headers: { authorization: signed.Authorization, date: signed.Date },
      method: 'GET', host: 'hub.example', path: '/admin/v1/users', params, now, lookupSecret,
    };
  }

  function signedJsonPost(): VerifyInput {
    const body = JSON.stringify({ number: '+15555550100', name: 'desk phone' });
    const duoHeaders = { 'X-Duo-Request-Id': 'r-1' };
    const signed = signRequest({
      ikey: 'DIKEY2', skey: 'secret-two', date: now, method: 'POST', host: 'hub.example',
      path: '/admin/v1/phones', params: {}, body, version: 5, duoHeaders,
    });
    const headers: RequestHeaders = {
      authorization: signed.Authorization, date: signed.Date, 'content-type': 'application/json',
      'x-duo-request-id': 'r-1',
    };
    return { headers, method: 'POST', host: 'hub.example', path: '/admin/v1/phones', params: {}, body, now, lookupSecret };
  }

  it('accepts a v2 request and names the ikey and version', () => {
    expect(verifyRequest(signedGet())).toEqual({ ok: true, ikey: 'DIKEY1', version: 2 });
  });

  it('accepts a v2 form POST verified against the parsed params', () => {
    const params = { realname: 'Zoë (admin)', tag: ['b', 'a'] };
    const signed = signRequest({ ikey: 'DIKEY1', skey: 'secret-one', date: now, method: 'POST', host: 'hub.example', path: '/x', params });
    const body = 'realname=Zo%C3%AB+%28admin%29&tag=b&tag=a';
    expect(verifyRequest({
      headers: { Authorization: signed.Authorization, Date: signed.Date, 'Content-Type': 'application/x-www-form-urlencoded' },
      method: 'POST', host: 'hub.example', path: '/x', params: new URLSearchParams(body), body, now, lookupSecret,
    })).toEqual({ ok: true, ikey: 'DIKEY1', version: 2 });
  });

  it('accepts repeated values signed in sorted order, as the Python client signs them', () => {
    const signedParams = { tag: ['a', 'b'] };
    const signed = signRequest({ ikey: 'DIKEY1', skey: 'secret-one', date: now, method: 'GET', host: 'h', path: '/x', params: signedParams });
    expect(verifyRequest({
      headers: { authorization: signed.Authorization, date: signed.Date },
      method: 'GET', host: 'h', path: '/x', params: new URLSearchParams('tag=b&tag=a'), now, lookupSecret,
    })).toMatchObject({ ok: true });
  });

  it('accepts a v5 request with a JSON body and X-Duo headers', () => {
    expect(verifyRequest(signedJsonPost())).toEqual({ ok: true, ikey: 'DIKEY2', version: 5 });
  });

  it('accepts a Date in the GMT form and within the allowed skew', () => {
    const input = signedGet({ date: new Date(now.getTime() - 299_000) });
    expect(verifyRequest(input)).toMatchObject({ ok: true });
    const gmt = signRequest({
      ikey: 'DIKEY1', skey: 'secret-one', date: now.toUTCString(), method: 'GET', host: 'hub.example',
      path: '/admin/v1/users', params: input.params,
    });
    expect(verifyRequest({ ...input, headers: { authorization: gmt.Authorization, date: gmt.Date } })).toMatchObject({ ok: true });
  });

  it('accepts any of several configured host names', () => {
    expect(verifyRequest({ ...signedGet(), host: ['localhost:8443', 'HUB.example'] })).toMatchObject({ ok: true });
  });

  it('rejects a wrong secret', () => {
    expect(verifyRequest(signedGet({ skey: 'not-the-secret' }))).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a Date more than 300 s off, in either direction', () => {
    expect(verifyRequest(signedGet({ date: new Date(now.getTime() - 301_000) }))).toEqual({ ok: false, reason: 'stale-date' });
    expect(verifyRequest(signedGet({ date: new Date(now.getTime() + 301_000) }))).toEqual({ ok: false, reason: 'stale-date' });
    expect(verifyRequest({ ...signedGet({ date: new Date(now.getTime() - 20_000) }), maxSkewSeconds: 10 }))
      .toEqual({ ok: false, reason: 'stale-date' });
  });

  it('rejects a JSON body changed after signing', () => {
    const input = signedJsonPost();
    expect(verifyRequest({ ...input, body: JSON.stringify({ number: '+15555550199', name: 'desk phone' }) }))
      .toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a signed X-Duo header changed or added after signing', () => {
    const input = signedJsonPost();
    expect(verifyRequest({ ...input, headers: { ...input.headers, 'x-duo-request-id': 'r-2' } }))
      .toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyRequest({ ...input, headers: { ...input.headers, 'x-duo-extra': '1' } }))
      .toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a v2 signature over a request whose body it does not cover', () => {
    const input = signedGet();
    expect(verifyRequest({ ...input, headers: { ...input.headers, 'content-type': 'application/json' }, body: '{"x":1}' }))
      .toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('rejects altered params, method, path or host', () => {
    const input = signedGet();
    expect(verifyRequest({ ...input, params: { username: 'mallory', limit: '100' } })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyRequest({ ...input, params: { username: 'alice' } })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyRequest({ ...input, method: 'DELETE' })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyRequest({ ...input, path: '/admin/v1/admins' })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyRequest({ ...input, host: 'other.example' })).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('rejects an unknown or revoked ikey', () => {
    const input = signedGet();
    expect(verifyRequest({ ...input, lookupSecret: () => undefined })).toEqual({ ok: false, reason: 'unknown-key' });
  });

  it('rejects a missing or garbled Authorization or Date header', () => {
    const input = signedGet();
    const { authorization, date } = input.headers as Record<string, string>;
    expect(verifyRequest({ ...input, headers: { date } })).toEqual({ ok: false, reason: 'missing-authorization' });
    expect(verifyRequest({ ...input, headers: { date, authorization: 'Basic zzz' } })).toEqual({ ok: false, reason: 'bad-authorization' });
    expect(verifyRequest({ ...input, headers: { authorization } })).toEqual({ ok: false, reason: 'missing-date' });
    expect(verifyRequest({ ...input, headers: { authorization, date: 'now' } })).toEqual({ ok: false, reason: 'bad-date' });
  });

  it('rejects a Date header changed after signing, even within the skew', () => {
    const input = signedGet();
    const date = formatDuoDate(new Date(now.getTime() + 1000));
    expect(verifyRequest({ ...input, headers: { ...input.headers, date } })).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('verifyRequestAsync awaits the credential lookup', async () => {
    const input = signedGet();
    await expect(verifyRequestAsync({ ...input, lookupSecret: async (ikey) => keys.get(ikey) }))
      .resolves.toEqual({ ok: true, ikey: 'DIKEY1', version: 2 });
    await expect(verifyRequestAsync({ ...input, lookupSecret: async () => undefined }))
      .resolves.toEqual({ ok: false, reason: 'unknown-key' });
  });
});
