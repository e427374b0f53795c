import { describe, expect, it } from 'vitest';
import { commitPayload, parseCommitPayload } from '../../../../daemon/hub/store-postgres/commit-channel.js';

describe('commit notification payloads', () => {
  it('round-trip a commit from another instance', () => {
    const text = commitPayload('hub-a', 'team', ['users', 'audit'], 42);
    expect(parseCommitPayload(text, 'hub-b')).toEqual({ kind: 'commit', account: 'team', collections: ['users', 'audit'], seq: 42 });
  });

  it('ignore the instance\'s own commits and anything malformed', () => {
    expect(parseCommitPayload(commitPayload('hub-a', 'team', ['users'], 1), 'hub-a')).toBeUndefined();
    for (const text of [undefined, '', 'not json', '{"o":"x"}', '{"o":"x","a":1,"c":[],"s":1}']) {
      expect(parseCommitPayload(text, 'hub-b')).toBeUndefined();
    }
  });

  it('stay far below the 8000-byte NOTIFY limit for the longest account name', () => {
    expect(commitPayload('0'.repeat(36), 'a'.repeat(200), ['users', 'phones', 'tokens', 'u2f', 'admins', 'audit'], 2 ** 53).length).toBeLessThan(1000);
  });
});
