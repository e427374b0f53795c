/**
 * Duo's paging: `limit` (default 100, 1 to 500; larger values are cut to 500) and `offset` (default 0), and
 * the metadata a list answers with (`total_objects`, and `next_offset` while there is more). Pure.
 */
import { invalid } from '../../../src/errors.js';
import type { ListMetadata } from './envelope.js';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 500;

export interface Paging {
  limit: number;
  offset: number;
}

function wholeNumber(name: string, text: string): number {
  const n = Number(text.trim());
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n)) throw invalid(`${name} '${text}' is not a whole number`);
  return n;
}

/** The paging asked for; a limit above the maximum counts as the maximum. */
export function parsePaging(limit: string | undefined, offset: string | undefined): Paging {
  let l = limit === undefined || limit === '' ? DEFAULT_LIMIT : wholeNumber('limit', limit);
  if (l === 0) throw invalid('limit must be at least 1');
  if (l > MAX_LIMIT) l = MAX_LIMIT;
  const o = offset === undefined || offset === '' ? 0 : wholeNumber('offset', offset);
  return { limit: l, offset: o };
}

/** One page of `items` and its metadata. */
export function pageOf<T>(items: readonly T[], paging: Paging): { items: T[]; metadata: ListMetadata } {
  const { limit, offset } = paging;
  const slice = items.slice(offset, offset + limit);
  const metadata: ListMetadata = { total_objects: items.length };
  if (offset + limit < items.length) metadata.next_offset = offset + limit;
  if (offset > 0) metadata.prev_offset = Math.max(0, offset - limit);
  return { items: slice, metadata };
}
