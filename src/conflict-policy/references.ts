/**
 * The one invariant the per-document merges cannot keep: references across documents. A user deleted on
 * one replica while another attaches a device (or assigns a token) to it merges cleanly document by
 * document, the user deleted (delete wins) and the device's users including it (set merge), leaving a
 * device attached to a user that does not exist.
 *
 * Resolution: whoever observes it repairs it. After a pull, the daemon (and the hub, which sees every
 * write) passes its devices and tokens with the ids of users it knows to be deleted (tombstones, never
 * merely not-yet-pulled ids) and writes the returned documents as ordinary edits. The repair is
 * deterministic and idempotent, so several observers make the same edit and the set merge meets them as
 * one; a device left without a user is deleted implicitly, as if its last user had been removed. Each
 * repair is recorded (`deleted-user-reference`) with an id derived from its content, so two observers
 * record it once.
 */
import { isDeleted } from '../domain/phone.js';
import type { Phone, Token } from '../domain/schemas.js';
import { toConflictRecord, type ConflictRecord, type ConflictSource, type MergeOptions } from './record.js';
import { canonicalJson, isTombstone, ownFields } from './values.js';

/** The documents to check and the users known to be deleted. */
export interface ReferenceInput {
  phones: readonly Phone[];
  tokens: readonly Token[];
  deletedUserIds: ReadonlySet<string>;
}

/** The documents to write (devices with `deletion: 'implicit'` are to be deleted) and the records. */
export interface ReferenceRepair {
  phones: Phone[];
  tokens: Token[];
  conflicts: ConflictRecord[];
}

function record(
  collection: 'phones' | 'tokens',
  docId: string,
  doc: object,
  kept: string[],
  lost: string[],
  now: number,
  options: MergeOptions,
): ConflictRecord {
  const source: ConflictSource = { collection, docId, inputs: canonicalJson(ownFields(doc)), time: now };
  if (options.adminId !== undefined) source.adminId = options.adminId;
  return toConflictRecord(source, { field: 'users', kept, lost, rule: 'deleted-user-reference' });
}

/** The edits that remove references to deleted users; empty when there are none. */
export function repairDeletedUserReferences(input: ReferenceInput, now: number, options: MergeOptions = {}): ReferenceRepair {
  const out: ReferenceRepair = { phones: [], tokens: [], conflicts: [] };
  const gone = (id: string) => input.deletedUserIds.has(id);
  for (const phone of input.phones) {
    if (isTombstone(phone) || isDeleted(phone) || !phone.users.some(gone)) continue;
    const users = phone.users.filter((u) => !gone(u));
    const fixed: Phone = { ...phone, users, deletion: users.length === 0 ? 'implicit' : '', updated: now };
    out.phones.push(fixed);
    out.conflicts.push(record('phones', phone.phone_id, phone, users, phone.users, now, options));
  }
  for (const token of input.tokens) {
    if (isTombstone(token) || !token.users.some(gone)) continue;
    const users = token.users.filter((u) => !gone(u));
    out.tokens.push({ ...token, users, updated: now });
    out.conflicts.push(record('tokens', token.token_id, token, users, token.users, now, options));
  }
  return out;
}
