/**
 * The field-by-field three-way merge of two live states of one record, and the conflict drafts that
 * describe it. A field (or a unit of fields that only make sense together, such as a device's type and
 * the capabilities derived from it) changed on one side only takes that side's value; changed on both
 * sides to different values it is resolved by its kind: scalars by the hub's first acceptance (theirs),
 * sets by the set merge, orders by the order merge. Bookkeeping times never conflict.
 */
import { mergeOrder, mergeSet } from './list-merge.js';
import type { ConflictDraft, ConflictRule } from './record.js';
import { ownFields, sameMembers, sameValue } from './values.js';

/** How a field merges: `created` keeps theirs, `updated` takes the later time; both are never a conflict. */
export type FieldKind = 'scalar' | 'set' | 'order' | 'created' | 'updated';

/** How the fields of one collection merge. */
export interface RecordSpec {
  /** Field kinds; unlisted fields are scalars. */
  kinds?: Readonly<Record<string, FieldKind>>;
  /** Fields merged as one unit, leader first (a derived field follows the field it is derived from). */
  units?: readonly (readonly string[])[];
}

/** Which side changed a unit since the base (`same`: both made the same change, or there is no base). */
export type UnitChange = 'none' | 'same' | 'ours' | 'theirs' | 'both';

/** How one unit was merged. */
export interface UnitOutcome {
  /** The leading field's name. */
  name: string;
  fields: readonly string[];
  kind: FieldKind;
  change: UnitChange;
}

/** The merged fields (no RxDB fields) and how each unit got its value. */
export interface FieldMerge {
  merged: Record<string, unknown>;
  outcomes: UnitOutcome[];
}

type Fields = Record<string, unknown>;

function kindOf(spec: RecordSpec, field: string): FieldKind {
  return spec.kinds?.[field] ?? 'scalar';
}

function isBookkeeping(kind: FieldKind): boolean {
  return kind === 'created' || kind === 'updated';
}

/** The units of the fields present in any state, sorted by leading field so drafts come in a stable order. */
function unitsOf(spec: RecordSpec, docs: readonly (Fields | undefined)[]): { name: string; fields: string[] }[] {
  const names = new Set<string>();
  for (const doc of docs) if (doc) for (const key of Object.keys(doc)) names.add(key);
  const units: { name: string; fields: string[] }[] = [];
  const grouped = new Set<string>();
  for (const unit of spec.units ?? []) {
    const fields = unit.filter((f) => names.has(f));
    const leader = unit[0];
    if (fields.length === 0 || leader === undefined) continue;
    fields.forEach((f) => grouped.add(f));
    units.push({ name: leader, fields });
  }
  for (const name of names) if (!grouped.has(name)) units.push({ name, fields: [name] });
  return units.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The value of `fields` in a document: the value itself for one field, else an object keyed by field. */
export function pick(doc: Fields | undefined, fields: readonly string[]): unknown {
  if (fields.length === 1) return doc?.[fields[0] as string];
  const out: Fields = {};
  for (const f of fields) out[f] = doc?.[f];
  return out;
}

function listOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function sameUnit(kind: FieldKind, a: unknown, b: unknown): boolean {
  return kind === 'set' ? sameMembers(listOf(a), listOf(b)) : sameValue(a, b);
}

function changeOf(kind: FieldKind, hasBase: boolean, b: unknown, o: unknown, t: unknown): UnitChange {
  const fromBase = (x: unknown) => !hasBase || !sameUnit(kind, x, b);
  if (sameUnit(kind, o, t)) return fromBase(o) ? 'same' : 'none';
  if (!fromBase(o)) return 'theirs';
  if (!fromBase(t)) return 'ours';
  return 'both';
}

function laterTime(o: unknown, t: unknown): unknown {
  if (typeof o === 'number' && typeof t === 'number') return Math.max(o, t);
  return t ?? o;
}

/** The value of a unit changed on both sides. */
function resolveBoth(kind: FieldKind, field: string, b: Fields | undefined, o: Fields, t: Fields): unknown {
  switch (kind) {
    case 'set':
      return mergeSet(listOf(b?.[field]), listOf(o[field]), listOf(t[field]));
    case 'order':
      return mergeOrder(listOf(b?.[field]), listOf(o[field]), listOf(t[field]));
    case 'updated':
      return laterTime(o[field], t[field]);
    default:
      return t[field] ?? o[field];
  }
}

/** Three-way merge of the own fields of two live states; `base` undefined means a concurrent insert. */
export function mergeFields(spec: RecordSpec, base: object | undefined, ours: object, theirs: object): FieldMerge {
  const b = base === undefined ? undefined : ownFields(base);
  const o = ownFields(ours);
  const t = ownFields(theirs);
  const merged: Fields = {};
  const outcomes: UnitOutcome[] = [];
  for (const unit of unitsOf(spec, [b, o, t])) {
    const kind = kindOf(spec, unit.name);
    const change = changeOf(kind, b !== undefined, pick(b, unit.fields), pick(o, unit.fields), pick(t, unit.fields));
    for (const field of unit.fields) {
      const value =
        kind === 'updated'
          ? laterTime(o[field], t[field])
          : change === 'ours'
            ? o[field]
            : change === 'both'
              ? resolveBoth(kind, field, b, o, t)
              : t[field];
      if (value !== undefined) merged[field] = value;
    }
    outcomes.push({ name: unit.name, fields: unit.fields, kind, change });
  }
  return { merged, outcomes };
}

const RULE_OF_KIND: Partial<Record<FieldKind, ConflictRule>> = { set: 'set-merge', order: 'reorder-merge' };

/**
 * The drafts describing a field merge: one per unit changed differently on both sides (scalars under
 * `scalarRule`), and one `different-fields` draft when each side changed fields the other did not.
 */
export function describeMerge(
  result: FieldMerge,
  ours: object,
  theirs: object,
  scalarRule: ConflictRule,
): ConflictDraft[] {
  const o = ownFields(ours);
  const t = ownFields(theirs);
  const drafts: ConflictDraft[] = [];
  const oursOnly: string[] = [];
  let theirsChanged = false;
  for (const unit of result.outcomes) {
    if (isBookkeeping(unit.kind)) continue;
    if (unit.change === 'ours') oursOnly.push(...unit.fields);
    if (unit.change === 'theirs') theirsChanged = true;
    if (unit.change !== 'both') continue;
    // Theirs' change was already part of ours (e.g. ours attached one more user): nothing to resolve.
    if (unit.fields.every((f) => sameUnit(unit.kind, result.merged[f], o[f]))) continue;
    const leader = unit.fields[0] as string;
    // Name the leading field alone when it is what differs: "type: tablet / mobile" reads better.
    const fields = unit.fields.length > 1 && !sameValue(o[leader], t[leader]) ? [leader] : unit.fields;
    drafts.push({
      field: fields.join(','),
      kept: pick(result.merged, fields),
      lost: pick(o, fields),
      rule: RULE_OF_KIND[unit.kind] ?? scalarRule,
    });
  }
  if (oursOnly.length > 0 && theirsChanged) {
    const fields = result.outcomes
      .filter((u) => !isBookkeeping(u.kind) && (u.change === 'ours' || u.change === 'theirs'))
      .flatMap((u) => u.fields)
      .sort();
    drafts.unshift({ field: fields.join(','), kept: pick(result.merged, fields), lost: pick(o, fields), rule: 'different-fields' });
  }
  return drafts;
}

/** The non-bookkeeping fields of `doc` that differ from `reference`, sorted. */
export function editedFields(spec: RecordSpec, reference: object, doc: object): string[] {
  const r = ownFields(reference);
  const d = ownFields(doc);
  const names = new Set([...Object.keys(r), ...Object.keys(d)]);
  return [...names]
    .filter((f) => {
      const kind = kindOf(spec, f);
      return !isBookkeeping(kind) && !sameUnit(kind, r[f], d[f]);
    })
    .sort();
}
