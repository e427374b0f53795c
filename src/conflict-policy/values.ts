/**
 * Value comparison for the conflict policy: structural equality of JSON documents, a canonical JSON
 * encoding (equal values give equal strings, whatever the key order), and RxDB's bookkeeping fields.
 */

/** RxDB's per-replica fields: never replicated meaningfully, so never compared or merged. */
const LOCAL_FIELDS: ReadonlySet<string> = new Set(['_meta', '_rev', '_attachments']);

/** True for a plain object (not an array, not null). */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of JSON values; object keys holding `undefined` count as absent. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (isObject(a) && isObject(b)) return sameEntries(a, b, () => false);
  return false;
}

function sameEntries(a: Record<string, unknown>, b: Record<string, unknown>, skip: (key: string) => boolean): boolean {
  for (const key of Object.keys(a)) {
    if (skip(key) || a[key] === undefined) continue;
    if (!sameValue(a[key], b[key])) return false;
  }
  for (const key of Object.keys(b)) {
    if (skip(key) || b[key] === undefined) continue;
    if (!(key in a) || a[key] === undefined) return false;
  }
  return true;
}

/** True when two lists hold the same members, whatever their order or repetitions. */
export function sameMembers(a: readonly unknown[] | undefined, b: readonly unknown[] | undefined): boolean {
  const sa = new Set(a ?? []);
  const sb = new Set(b ?? []);
  if (sa.size !== sb.size) return false;
  for (const x of sa) if (!sb.has(x)) return false;
  return true;
}

/**
 * True when two document states are the same document: RxDB's `_meta`, `_rev` and `_attachments` are
 * ignored, and a missing `_deleted` means not deleted (RxDB's conflict handler `isEqual`).
 */
export function documentsEqual(a: object, b: object): boolean {
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  if ((ra._deleted === true) !== (rb._deleted === true)) return false;
  return sameEntries(ra, rb, (key) => key === '_deleted' || LOCAL_FIELDS.has(key));
}

/** JSON with object keys sorted, so that equal values always encode to the same text; undefined → null. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The document's own fields: every field whose name does not start with `_` (RxDB's fields do). */
export function ownFields(doc: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) if (!key.startsWith('_')) out[key] = value;
  return out;
}

/** True when the document state is an RxDB deletion (a tombstone that keeps its fields). */
export function isTombstone(doc: object): boolean {
  return (doc as { _deleted?: unknown })._deleted === true;
}
