/**
 * Token import at the hub, all or nothing: the file that came with the request is parsed and validated whole
 * (against the tokens the hub has, which may be more than the requester's replica knew), the secrets are
 * stored, then the token documents are written in one authorized push as the requester. A failure at any step
 * leaves no token and no secret behind.
 *
 * `tokens.receive` is the same for vendor-provisioned tokens: 6-digit HOTP seeds that become `d1` tokens.
 */
import type { TokenType } from '../../../src/domain/enums.js';
import { TOKEN_TYPES } from '../../../src/domain/enums.js';
import { tokenIdForSerial } from '../../../src/domain/ids.js';
import type { Token } from '../../../src/domain/schemas.js';
import { FactordeskError, invalid } from '../../../src/errors.js';
import { IMPORT_FORMATS, type ImportedToken, type ImportFormat } from '../../../src/import/imported-token.js';
import { parseTokenFile, summarizeImport } from '../../../src/import/import-tokens.js';
import type { PskcOptions } from '../../../src/import/pskc.js';
import { authorizedPush, type Pusher } from '../authorized-push.js';
import type { HubStore, JsonValue } from '../store.js';
import { deleteTokenSecret, tokenSecretOf, writeTokenSecret } from '../token-secrets.js';
import { OperationFailure, optionalStringParam, type Operation, type OperationContext, type OperationResult } from '../requests/operation.js';
import { MAX_PUSH_ROWS } from '../sync-routes.js';

/** What travels as the request's attachment: the file and what unlocks it (both secrets). */
export interface ImportAttachment {
  content: string;
  pskc?: { password?: string; preSharedKey?: string };
}

/** Encodes the attachment of an import request. */
export function encodeImportAttachment(attachment: ImportAttachment): string {
  return JSON.stringify(attachment);
}

function decodeAttachment(text: string | undefined): ImportAttachment {
  if (text === undefined) throw invalid('The import request came without its file.', 'Run the import again while the hub is reachable.');
  try {
    const value = JSON.parse(text) as ImportAttachment;
    if (typeof value.content === 'string') return value;
  } catch {
    // fall through
  }
  throw invalid('The file sent with the import request is unreadable.');
}

function formatParam(value: string | undefined): ImportFormat | undefined {
  if (value === undefined) return undefined;
  if (!(IMPORT_FORMATS as readonly string[]).includes(value)) throw invalid(`Unknown token file format "${value}"; known: ${IMPORT_FORMATS.join(', ')}.`);
  return value as ImportFormat;
}

function typeParam(value: string | undefined): TokenType | undefined {
  if (value === undefined) return undefined;
  if (!(TOKEN_TYPES as readonly string[]).includes(value)) throw invalid(`Unknown token type "${value}".`);
  return value as TokenType;
}

/** Serials of the live tokens the hub has among those of `tokens`. */
async function existingSerials(store: HubStore, account: string, tokens: readonly ImportedToken[]): Promise<string[]> {
  const ids = tokens.map((t) => tokenIdForSerial(t.serial));
  const found: string[] = [];
  for (let i = 0; i < ids.length; i += MAX_PUSH_ROWS) {
    const docs = await store.get(account, 'tokens', ids.slice(i, i + MAX_PUSH_ROWS));
    for (const doc of docs) if (!doc._deleted) found.push(String(doc['serial']));
  }
  return found;
}

function tokenDocument(token: ImportedToken, vendor: boolean, now: number): Token {
  return {
    token_id: tokenIdForSerial(token.serial),
    serial: token.serial,
    type: token.type,
    totp_step: token.totp_step,
    users: [],
    admins: [],
    origin: vendor ? 'vendor' : 'third-party',
    created: now,
    updated: now,
  };
}

export interface ImportAtHubInput {
  tokens: readonly ImportedToken[];
  vendor: boolean;
  pusher: Pusher;
}

/**
 * Stores validated tokens: secrets first, then the documents in authorized pushes; anything refused or
 * conflicting undoes what was written. Answers how many were imported, by type. Used by the request and by
 * the Duo Admin API's token creation.
 */
export async function importAtHub(deps: { store: HubStore; account: string; now: () => number }, input: ImportAtHubInput): Promise<OperationResult> {
  const { store, account } = deps;
  const now = deps.now();
  const written: string[] = [];
  const undo = async () => {
    for (const id of written) await deleteTokenSecret(store, account, id).catch(() => false);
  };
  try {
    for (const token of input.tokens) {
      const id = tokenIdForSerial(token.serial);
      await writeTokenSecret(store, account, id, tokenSecretOf(token));
      written.push(id);
    }
    const docs = input.tokens.map((t) => tokenDocument(t, input.vendor, now));
    const pushed: string[] = [];
    for (let i = 0; i < docs.length; i += MAX_PUSH_ROWS) {
      const batch = docs.slice(i, i + MAX_PUSH_ROWS);
      const result = await authorizedPush(store, account, 'tokens', batch.map((d) => ({ newDocumentState: { ...d, _deleted: false } })), input.pusher, now);
      const refusal = result.refused[0];
      if (refusal || result.conflicts.length > 0) {
        const failedIds = new Set([...result.refused.map((r) => r.id), ...result.conflicts.map((c) => String(c['token_id']))]);
        pushed.push(...batch.filter((d) => !failedIds.has(d.token_id)).map((d) => d.token_id));
        // Take back what this import did write, so that it stays all or nothing.
        // (The hub reverting its own write: no role check, which would refuse deleting a d1 token.)
        if (pushed.length > 0) {
          await store.push(
            account,
            'tokens',
            docs.filter((d) => pushed.includes(d.token_id)).map((d) => ({ assumedMasterState: { ...d, _deleted: false }, newDocumentState: { ...d, updated: now + 1, _deleted: true } })),
            {
              adminId: input.pusher.admin_id,
              adminName: input.pusher.name,
              time: now,
              audit: (change) => ({ action: 'tokens.import', summary: `token ${String(change.after['serial'])} (${change.id}): import undone` }),
            },
          );
        }
        throw new FactordeskError(
          refusal?.code === 'FORBIDDEN' ? 'FORBIDDEN' : 'CONFLICT',
          refusal ? refusal.reason : `${result.conflicts.length} of these serials were added by someone else meanwhile; nothing was imported.`,
        );
      }
      pushed.push(...batch.map((d) => d.token_id));
    }
  } catch (error) {
    await undo();
    throw error;
  }
  const summary = summarizeImport(input.tokens, 0);
  return { imported: input.tokens.length, by_type: summary.byType as { [type: string]: JsonValue } };
}

async function runImport(cx: OperationContext, vendor: boolean): Promise<OperationResult> {
  const format = formatParam(optionalStringParam(cx.request, 'format'));
  const type = vendor ? 'd1' : typeParam(optionalStringParam(cx.request, 'type'));
  const attachment = decodeAttachment(await cx.attachment());
  const pskc: PskcOptions = {
    ...(attachment.pskc?.password !== undefined ? { password: attachment.pskc.password } : {}),
    ...(attachment.pskc?.preSharedKey !== undefined ? { preSharedKey: attachment.pskc.preSharedKey } : {}),
  };
  const first = parseTokenFile(attachment.content, { ...(format ? { format } : {}), ...(type ? { type } : {}), pskc });
  if ('errors' in first) {
    throw new OperationFailure('INVALID_INPUT', `The file has ${first.errors.length} bad row(s); nothing was imported.`, {
      errors: first.errors as unknown as JsonValue,
    });
  }
  const existing = await existingSerials(cx.store, cx.account, first.tokens);
  if (existing.length > 0) {
    const again = parseTokenFile(attachment.content, { format: first.format, ...(type ? { type } : {}), pskc, existingSerials: existing });
    const errors = 'errors' in again ? again.errors : [];
    throw new OperationFailure('INVALID_INPUT', `${existing.length} serial(s) exist already; nothing was imported.`, {
      errors: errors as unknown as JsonValue,
    });
  }
  return importAtHub(cx, { tokens: first.tokens, vendor, pusher: cx.requester });
}

/** The `tokens.import` request: params `{format?, type?, filename?}`, the file as attachment. */
export const tokenImportOperation: Operation = (cx) => runImport(cx, false);

/** The `tokens.receive` request: vendor-provisioned (`d1`) tokens. */
export const tokenReceiveOperation: Operation = (cx) => runImport(cx, true);
