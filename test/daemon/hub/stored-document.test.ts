import { describe, expect, it } from 'vitest';
import { bodyOf, canonicalJson, sameContent, sameMasterState, toHubDocument, type StoredDocument } from '../../../daemon/hub/stored-document.js';
import { StoreError } from '../../../daemon/hub/store.js';

const stored: StoredDocument = { id: 'DU1', seq: 7, deleted: false, body: { user_id: 'DU1', realname: 'Ann', tags: ['a', 'b'] } };

describe('stored documents', () => {
  it('pull shape: the body, _deleted and _hubRev', () => {
    expect(toHubDocument(stored)).toEqual({ user_id: 'DU1', realname: 'Ann', tags: ['a', 'b'], _deleted: false, _hubRev: 7 });
  });

  it('stores a pushed state without its _-prefixed fields or undefined values', () => {
    expect(bodyOf({ user_id: 'DU1', _deleted: true, _rev: '1-a', _meta: { lwt: 1 }, _attachments: {}, _hubRev: 3, gone: undefined }))
      .toEqual({ user_id: 'DU1' });
  });

  it('refuses what JSON cannot hold or PostgreSQL cannot store', () => {
    for (const bad of [{ x: Number.NaN }, { x: new Date() }, { x: 'a\u0000b' }, { ['a\u0000']: 1 }, { x: () => 1 }]) {
      expect(() => bodyOf(bad as Record<string, unknown>)).toThrow(StoreError);
    }
  });

  it('canonical JSON ignores key order at every level but not array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe(canonicalJson({ a: { c: null, d: [2, 1] }, b: 1 }));
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
  });

  it('same content: same fields and same tombstone flag', () => {
    expect(sameContent({ tags: ['a', 'b'], realname: 'Ann', user_id: 'DU1', _deleted: false, _rev: 'x' }, stored)).toBe(true);
    expect(sameContent({ ...stored.body, _deleted: true }, stored)).toBe(false);
    expect(sameContent({ ...stored.body, realname: 'Bob', _deleted: false }, stored)).toBe(false);
  });

  it('same master: by _hubRev when the assumed state has one, else by content', () => {
    expect(sameMasterState({ _hubRev: 7 }, stored)).toBe(true);
    expect(sameMasterState({ ...stored.body, _deleted: false, _hubRev: 6 }, stored)).toBe(false);
    expect(sameMasterState({ ...stored.body, _deleted: false }, stored)).toBe(true);
  });
});
