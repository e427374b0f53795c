import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseLink, viewToLink, type ViewLink } from '../../src/link.js';
import { ENTITIES } from '../../src/rpc/contract.js';
import { FactordeskError } from '../../src/errors.js';

function invalidInput(run: () => unknown): FactordeskError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(FactordeskError);
    expect((e as FactordeskError).code).toBe('INVALID_INPUT');
    return e as FactordeskError;
  }
  return expect.unreachable('expected INVALID_INPUT');
}

describe('viewToLink', () => {
  it('puts the entity in the host and the percent-encoded filter and sort in the query', () => {
    expect(viewToLink({ entity: 'devices', filter: 'platform:ios encrypted:no', sort: { key: 'last_seen', dir: 'desc' } })).toBe(
      'factordesk://devices?filter=platform%3Aios%20encrypted%3Ano&sort=last_seen:desc',
    );
  });

  it('writes only what is set, with the selected id last', () => {
    expect(viewToLink({ entity: 'users' })).toBe('factordesk://users');
    expect(viewToLink({ entity: 'users', filter: '' })).toBe('factordesk://users');
    expect(viewToLink({ entity: 'tokens', selected: 'DH0123456789ABCDEFGH' })).toBe('factordesk://tokens?selected=DH0123456789ABCDEFGH');
    expect(viewToLink({ entity: 'devices', filter: 'os:<17 user:a&b', sort: { key: 'name', dir: 'asc' }, selected: 'DP1' })).toBe(
      'factordesk://devices?filter=os%3A%3C17%20user%3Aa%26b&sort=name:asc&selected=DP1',
    );
  });

  it('ignores the window of a view spec', () => {
    const spec = { entity: 'audit' as const, window: { offset: 100, limit: 50 } };
    expect(viewToLink(spec)).toBe('factordesk://audit');
  });

  it('refuses an unknown entity, a bad sort and text that is not valid Unicode', () => {
    invalidInput(() => viewToLink({ entity: 'bogus' as never }));
    invalidInput(() => viewToLink({ entity: 'devices', sort: { key: 'last seen', dir: 'asc' } }));
    invalidInput(() => viewToLink({ entity: 'devices', sort: { key: 'name', dir: 'up' as never } }));
    invalidInput(() => viewToLink({ entity: 'devices', filter: 'broken \ud800 text' }));
  });
});

describe('parseLink', () => {
  it('reads the example link back', () => {
    expect(parseLink('factordesk://devices?filter=platform%3Aios%20encrypted%3Ano&sort=last_seen:desc')).toEqual({
      entity: 'devices',
      filter: 'platform:ios encrypted:no',
      sort: { key: 'last_seen', dir: 'desc' },
    });
  });

  it('accepts surrounding space, any case of scheme and host, a trailing slash, a fragment and empty parameters', () => {
    expect(parseLink('  FactorDesk://Users/?filter=alice&&selected=DU1#top \n')).toEqual({
      entity: 'users',
      filter: 'alice',
      selected: 'DU1',
    });
    expect(parseLink('factordesk://tokens?filter=&sort=')).toEqual({ entity: 'tokens' });
  });

  it('defaults the sort direction to ascending and accepts it in any case', () => {
    expect(parseLink('factordesk://users?sort=username').sort).toEqual({ key: 'username', dir: 'asc' });
    expect(parseLink('factordesk://users?sort=username:DESC').sort).toEqual({ key: 'username', dir: 'desc' });
  });

  it('keeps a literal plus in a filter (percent-decoding, not form decoding)', () => {
    expect(parseLink('factordesk://devices?filter=+15551234567').filter).toBe('+15551234567');
  });

  it('refuses another scheme or something that is not a link', () => {
    expect(invalidInput(() => parseLink('https://devices?filter=x')).userMessage).toMatch(/Not a factordesk link/);
    invalidInput(() => parseLink('devices?filter=x'));
    invalidInput(() => parseLink('factordesk:devices'));
    invalidInput(() => parseLink(''));
  });

  it('refuses an unknown or missing view, naming the views that exist in the hint', () => {
    const e = invalidInput(() => parseLink('factordesk://bogus'));
    expect(e.userMessage).toContain("'bogus'");
    expect(e.hint).toContain('devices');
    invalidInput(() => parseLink('factordesk://'));
    invalidInput(() => parseLink('factordesk://?filter=x'));
  });

  it.each(['last_seen:sideways', ':desc', 'last seen:asc', 'a:b:c', 'name:'])('refuses the bad sort %j', (sort) => {
    expect(invalidInput(() => parseLink(`factordesk://devices?sort=${encodeURIComponent(sort)}`)).userMessage).toMatch(/sort/);
  });

  it('refuses unknown and repeated parameters and bad percent-encoding', () => {
    invalidInput(() => parseLink('factordesk://devices?colour=red'));
    invalidInput(() => parseLink('factordesk://devices?filter=a&filter=b'));
    invalidInput(() => parseLink('factordesk://devices?filter=%E0%A4%A'));
  });
});

describe('link round trip', () => {
  const sortKey = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.]{0,20}$/);
  const spec: fc.Arbitrary<ViewLink> = fc.record(
    {
      entity: fc.constantFrom(...ENTITIES),
      filter: fc.string({ unit: 'grapheme', minLength: 1 }),
      sort: fc.record({ key: sortKey, dir: fc.constantFrom('asc' as const, 'desc' as const) }),
      selected: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 64 }),
    },
    { requiredKeys: ['entity'] },
  );

  it('parseLink(viewToLink(spec)) gives the spec back', () => {
    fc.assert(
      fc.property(spec, (s) => {
        expect(parseLink(viewToLink(s))).toEqual(s);
      }),
      { numRuns: 500 },
    );
  });

  it('a link is one line of printable ASCII, so it survives copy and paste', () => {
    fc.assert(
      fc.property(spec, (s) => {
        expect(viewToLink(s)).toMatch(/^factordesk:\/\/[a-z0-9]+(\?[\x21-\x7e]*)?$/);
      }),
    );
  });
});
