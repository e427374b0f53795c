/**
 * What every daemon command is handed: the acting administrator, the read model to resolve references, and
 * the replica to write to. Commands run one at a time, so each sees the state its predecessor left.
 */
import type { Admin, CollectionName, DocTypes, Phone, Token, U2fRegistration, User } from '../src/domain/schemas.js';
import { newEventId } from '../src/domain/ids.js';
import { assertAllowed, type Action } from '../src/roles.js';
import { invalid, notFound } from '../src/errors.js';
import type { Identity } from '../src/rpc/contract.js';
import type { Replica } from './replica/database.js';
import type { ReadModel } from './views/read-model.js';

export interface CommandContext {
  readonly identity: Identity;
  readonly model: ReadModel;
  now(): number;
  /** Throws FORBIDDEN with the role matrix's reason when the acting role may not do `action`. */
  allow(action: Action): void;
  resolveUser(ref: string): User;
  resolvePhone(ref: string): Phone;
  resolveToken(ref: string): Token;
  resolveAdmin(ref: string): Admin;
  resolveU2f(ref: string): U2fRegistration;
  /** Inserts or replaces documents of one collection (one storage transaction). */
  put<K extends CollectionName>(name: K, docs: DocTypes[K][]): Promise<void>;
  /** Deletes a document, first recording the given fields (e.g. why a device was deleted). */
  remove<K extends CollectionName>(name: K, id: string, last?: Partial<DocTypes[K]>): Promise<void>;
  /** Appends an audit event for the acting administrator (nothing when synced: the hub audits what it accepts). */
  audit(action: string, entity: string, entityId: string, summary: string): Promise<void>;
}

/** Drops RxDB's bookkeeping fields so a read-model document can be written back. */
export function plainDoc<T extends object>(doc: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) if (!key.startsWith('_')) out[key] = value;
  return out as T;
}

/** Builds the context over a replica and its read model. */
export function createCommandContext(options: {
  identity: Identity;
  replica: Replica;
  model: ReadModel;
  now?: () => number;
  /** False while a hub keeps the audit trail (it records every change it accepts); default: always audit. */
  auditsLocally?: () => boolean;
}): CommandContext {
  const { identity, replica, model } = options;
  const now = options.now ?? Date.now;

  const resolveUser = (ref: string): User => {
    const r = ref.trim();
    if (!r) throw invalid('A user is required (a username or user_id).');
    const user = model.user(r) ?? model.userByUsername(r);
    if (!user) throw notFound(`No user "${r}".`, 'List users with `factordesk users list`.');
    return user;
  };

  const resolvePhone = (ref: string): Phone => {
    const r = ref.trim();
    if (!r) throw invalid('A device is required (a phone_id, a number, or username:phoneN).');
    const byId = model.phone(r);
    if (byId) return byId;
    const alias = /^(.+):phone(\d+)$/i.exec(r);
    if (alias) {
      const user = resolveUser(alias[1]!);
      const ordered = model.orderedPhonesOfUser(user.user_id);
      const index = Number(alias[2]) - 1;
      const entry = ordered[index];
      if (!entry) {
        throw notFound(`${user.username} has no phone${alias[2]} (${ordered.length} phone${ordered.length === 1 ? '' : 's'}).`);
      }
      return entry.phone;
    }
    const byNumber = model.phonesByNumber(r);
    if (byNumber.length === 1) return byNumber[0]!;
    if (byNumber.length > 1) {
      throw invalid(`${byNumber.length} devices have the number ${r}.`, 'Name the device by its phone_id instead.');
    }
    throw notFound(`No device "${r}".`, 'Name a device by phone_id, by number, or as username:phone1.');
  };

  const resolveToken = (ref: string): Token => {
    const r = ref.trim();
    const token = model.token(r) ?? model.tokenBySerial(r);
    if (!token) throw notFound(`No hardware token "${r}".`, 'Name a token by serial or token_id.');
    return token;
  };

  const resolveAdmin = (ref: string): Admin => {
    const r = ref.trim();
    const lower = r.toLowerCase();
    const admin =
      model.admin(r) ??
      model.admins().find((a) => a.email.toLowerCase() === lower) ??
      model.admins().find((a) => a.name.toLowerCase() === lower);
    if (!admin) throw notFound(`No administrator "${r}".`, 'List administrators with `factordesk admins list`.');
    return admin;
  };

  const resolveU2f = (ref: string): U2fRegistration => {
    const reg = model.u2f(ref.trim());
    if (!reg) throw notFound(`No U2F/WebAuthn registration "${ref.trim()}".`);
    return reg;
  };

  return {
    identity,
    model,
    now,
    allow: (action) => assertAllowed(identity.role, action),
    resolveUser,
    resolvePhone,
    resolveToken,
    resolveAdmin,
    resolveU2f,
    async put(name, docs) {
      if (docs.length === 0) return;
      const collection = replica.collections[name];
      await collection.bulkUpsert(docs.map((d) => plainDoc(d)) as never[]);
    },
    async remove(name, id, last) {
      const collection = replica.collections[name];
      const doc = await collection.findOne(id).exec();
      if (!doc) return;
      if (last && Object.keys(last).length > 0) await doc.incrementalPatch(last as never);
      await doc.incrementalRemove();
    },
    async audit(action, entity, entityId, summary) {
      if (options.auditsLocally && !options.auditsLocally()) return;
      const time = now();
      await replica.collections.audit.insert({
        event_id: newEventId(time),
        time,
        admin_id: identity.admin_id,
        admin_name: identity.name,
        action,
        entity,
        entity_id: entityId,
        summary,
      });
    },
  };
}
