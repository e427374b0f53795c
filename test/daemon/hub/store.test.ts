import { describe, expect, it } from 'vitest';
import { openStore, parseStoreUrl, StoreError } from '../../../daemon/hub/store.js';

describe('parseStoreUrl', () => {
  it('reads sqlite: URLs and bare paths as SQLite files', () => {
    expect(parseStoreUrl('sqlite:/var/lib/fd/hub.sqlite')).toEqual({ backend: 'sqlite', file: '/var/lib/fd/hub.sqlite' });
    expect(parseStoreUrl('sqlite:///var/lib/fd/hub.sqlite')).toEqual({ backend: 'sqlite', file: '/var/lib/fd/hub.sqlite' });
    expect(parseStoreUrl('sqlite:data/hub.sqlite')).toEqual({ backend: 'sqlite', file: 'data/hub.sqlite' });
    expect(parseStoreUrl('SQLite::memory:')).toEqual({ backend: 'sqlite', file: ':memory:' });
    expect(parseStoreUrl('/srv/hub.sqlite')).toEqual({ backend: 'sqlite', file: '/srv/hub.sqlite' });
    expect(parseStoreUrl('./hub.sqlite')).toEqual({ backend: 'sqlite', file: './hub.sqlite' });
  });

  it('reads postgres:// and postgresql:// as PostgreSQL', () => {
    expect(parseStoreUrl('postgres://u@h:5432/db')).toEqual({ backend: 'postgres', url: 'postgres://u@h:5432/db' });
    expect(parseStoreUrl('postgresql://u@h/db')).toEqual({ backend: 'postgres', url: 'postgresql://u@h/db' });
  });

  it('refuses any other scheme in one sentence naming the accepted ones', () => {
    for (const url of ['mysql://u@h/db', 'http://hub', 'file:/tmp/x']) {
      let error: unknown;
      try {
        parseStoreUrl(url);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).storeCode).toBe('UNSUPPORTED_URL');
      expect((error as StoreError).userMessage).toMatch(/sqlite:.*postgres:\/\//);
      expect((error as StoreError).userMessage.split(/\.\s/)).toHaveLength(1);
    }
    expect(() => parseStoreUrl('')).toThrow(StoreError);
    expect(() => parseStoreUrl('sqlite:')).toThrow(StoreError);
  });

  it('openStore refuses an unsupported URL without touching anything', async () => {
    await expect(openStore('redis://localhost')).rejects.toMatchObject({ storeCode: 'UNSUPPORTED_URL', code: 'INVALID_INPUT' });
  });
});
