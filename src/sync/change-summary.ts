/**
 * The one-line before/after summary an audit event carries for a replicated change, e.g.
 * `device Ann's iPhone (DP…): users +DU2; name 'iPhone' → "Ann's iPhone"`. Documents hold no secrets (those stay
 * in the hub's secret store), and long values are cut, so a summary never carries more than a glance needs.
 */
import { changedFields, type ChangeDoc } from './change-actions.js';

const MAX_VALUE_LENGTH = 40;
const MAX_PARTS = 8;

const NOUNS: Readonly<Record<string, string>> = {
  users: 'user',
  phones: 'device',
  tokens: 'token',
  u2f: 'U2F registration',
  admins: 'administrator',
  requests: 'request',
};

const LABEL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  users: ['username'],
  phones: ['name', 'number'],
  tokens: ['serial'],
  u2f: ['credential_name', 'label'],
  admins: ['name'],
  requests: ['kind'],
};

const SET_FIELDS = new Set(['users', 'admins']);

function shown(value: unknown): string {
  const text = typeof value === 'string' ? `'${value}'` : JSON.stringify(value) ?? 'none';
  const clean = text.replace(/\p{C}/gu, '?');
  return [...clean].length > MAX_VALUE_LENGTH ? `${[...clean].slice(0, MAX_VALUE_LENGTH - 1).join('')}…` : clean;
}

function label(collection: string, id: string, doc: ChangeDoc): string {
  for (const field of LABEL_FIELDS[collection] ?? []) {
    const value = doc[field];
    if (typeof value === 'string' && value !== '') return `${shown(value).slice(1, -1)} (${id})`;
  }
  return id;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** The summary of a change of one document (`before` absent: it was created). */
export function summarizeChange(collection: string, id: string, before: ChangeDoc | undefined, after: ChangeDoc): string {
  const noun = NOUNS[collection] ?? collection;
  const base = before && before['_deleted'] !== true ? before : undefined;
  const who = `${noun} ${label(collection, id, base ?? after)}`;
  if (after['_deleted'] === true) return `${who}: deleted`;
  if (!base) return `${who}: added`;
  const parts: string[] = [];
  for (const field of changedFields(base, after)) {
    if (SET_FIELDS.has(field)) {
      const was = new Set(strings(base[field]));
      const now = new Set(strings(after[field]));
      const added = [...now].filter((x) => !was.has(x)).map((x) => `+${x}`);
      const removed = [...was].filter((x) => !now.has(x)).map((x) => `-${x}`);
      parts.push(`${field} ${[...added, ...removed].join(' ')}`);
    } else if (field === 'phone_order') {
      parts.push(`phone order ${strings(after[field]).join(',') || 'empty'}`);
    } else {
      parts.push(`${field} ${shown(base[field])} → ${shown(after[field])}`);
    }
  }
  if (parts.length === 0) return `${who}: unchanged`;
  const more = parts.length > MAX_PARTS ? `; and ${parts.length - MAX_PARTS} more` : '';
  return `${who}: ${parts.slice(0, MAX_PARTS).join('; ')}${more}`;
}
