/**
 * A view as a link that `factordesk open` reopens: `factordesk://devices?filter=platform%3Aios&sort=last_seen:desc`.
 * The entity is the host; `filter` (the filter language, percent-encoded), `sort` (`key:asc|desc`) and
 * `selected` (the id of the highlighted row) are optional query parameters, written in that order.
 * Decoding is RFC 3986 percent-decoding: a literal `+` stays a plus (filters may hold phone numbers),
 * it is not read as a space the way HTML forms do.
 */
import { invalid } from './errors.js';
import { ENTITIES, type EntityName, type SortSpec } from './rpc/contract.js';

export const LINK_SCHEME = 'factordesk';

/** What a link holds: a view without its window, and optionally the selected row. */
export interface ViewLink {
  entity: EntityName;
  filter?: string;
  sort?: SortSpec;
  /** The id of the row the cursor was on. */
  selected?: string;
}

const LINK_SHAPE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)\/?(?:\?([^#]*))?(?:#.*)?$/;
const SORT_KEY = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const SORT_SHAPE = /^([^:]*)(?::(.*))?$/;
const PARAMS = ['filter', 'sort', 'selected'] as const;
const EXAMPLE = `${LINK_SCHEME}://devices?filter=platform%3Aios&sort=last_seen:desc`;

/** Long input is cut in messages so that an error stays one readable line. */
function quote(text: string): string {
  return `'${text.length > 60 ? `${text.slice(0, 57)}...` : text}'`;
}

function isEntity(name: string): name is EntityName {
  return (ENTITIES as readonly string[]).includes(name);
}

function checkSort(sort: SortSpec): void {
  if (!SORT_KEY.test(sort.key)) {
    throw invalid(`Bad sort key ${quote(sort.key)}.`, 'A sort key is a field name such as last_seen.');
  }
  if (sort.dir !== 'asc' && sort.dir !== 'desc') {
    throw invalid(`Bad sort direction ${quote(String(sort.dir))}.`, 'Use asc or desc.');
  }
}

function encode(name: string, value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    // Only a lone UTF-16 surrogate fails to encode: text that is not valid Unicode.
    throw invalid(`The ${name} is not valid text and cannot go into a link.`);
  }
}

function decode(name: string, value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw invalid(`The link's ${name} is badly percent-encoded: ${quote(value)}.`);
  }
}

/** The link of a view: entity as host, then filter, sort and selected id when present. */
export function viewToLink(spec: ViewLink): string {
  if (!isEntity(spec.entity)) throw invalid(`Unknown view ${quote(String(spec.entity))}.`, `Views: ${ENTITIES.join(', ')}.`);
  const params: string[] = [];
  if (spec.filter !== undefined && spec.filter !== '') params.push(`filter=${encode('filter', spec.filter)}`);
  if (spec.sort !== undefined) {
    checkSort(spec.sort);
    params.push(`sort=${spec.sort.key}:${spec.sort.dir}`);
  }
  if (spec.selected !== undefined && spec.selected !== '') params.push(`selected=${encode('selected id', spec.selected)}`);
  return `${LINK_SCHEME}://${spec.entity}${params.length > 0 ? `?${params.join('&')}` : ''}`;
}

/** `key` or `key:asc|desc` (ascending when no direction is given). */
function parseSort(text: string): SortSpec {
  const [, key = '', dir = 'asc'] = SORT_SHAPE.exec(text) ?? [];
  const sort = { key, dir: dir.toLowerCase() } as SortSpec;
  checkSort(sort);
  return sort;
}

/** The view a link names. Throws INVALID_INPUT for another scheme, an unknown view, a bad sort or parameter. */
export function parseLink(text: string): ViewLink {
  const trimmed = text.trim();
  const match = LINK_SHAPE.exec(trimmed);
  if (match === null || match[1]?.toLowerCase() !== LINK_SCHEME) {
    throw invalid(`Not a factordesk link: ${quote(trimmed)}.`, `Links look like ${EXAMPLE}`);
  }
  const host = decode('view', match[2] ?? '').toLowerCase();
  if (host === '') throw invalid('The link names no view.', `Views: ${ENTITIES.join(', ')}.`);
  if (!isEntity(host)) throw invalid(`Unknown view ${quote(host)} in the link.`, `Views: ${ENTITIES.join(', ')}.`);

  const link: ViewLink = { entity: host };
  const seen = new Set<string>();
  for (const part of (match[3] ?? '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decode('parameter name', eq < 0 ? part : part.slice(0, eq));
    const value = decode(name, eq < 0 ? '' : part.slice(eq + 1));
    if (!(PARAMS as readonly string[]).includes(name)) {
      throw invalid(`Unknown link parameter ${quote(name)}.`, `A link may have ${PARAMS.join(', ')}.`);
    }
    if (seen.has(name)) throw invalid(`The link gives ${name} twice.`);
    seen.add(name);
    if (value === '') continue;
    if (name === 'filter') link.filter = value;
    else if (name === 'sort') link.sort = parseSort(value);
    else link.selected = value;
  }
  return link;
}
