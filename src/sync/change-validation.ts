/**
 * The cheap checks the hub makes on a pushed document before accepting it, whatever the pusher's role: the
 * shape its schema gives (types, enums, lengths, no unknown fields) and the per-record rules of src/domain
 * (usernames, phone fields, serials, a token's id derived from its serial, a device with a user, a vendor token
 * not deleted). Whole-data-set invariants (e.g. references between records) are the conflict policy's business.
 */
import { COLLECTIONS } from '../domain/schemas.js';
import { tokenIdForSerial } from '../domain/ids.js';
import { normalizePhoneFields } from '../domain/phone.js';
import { assertDeletable, isTotpToken, MAX_TOTP_STEP, parseTokenType, validateSerial } from '../domain/token.js';
import { normalizeUserInput } from '../domain/user.js';
import { isFactordeskError } from '../errors.js';
import type { TokenType } from '../domain/enums.js';
import type { ChangeDoc, ChangeRefusal } from './change-actions.js';

interface PropertySchema {
  type?: string;
  enum?: readonly unknown[];
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  multipleOf?: number;
  items?: PropertySchema;
}

interface ObjectSchema {
  properties: Readonly<Record<string, PropertySchema>>;
  required?: readonly string[];
}

const invalidInput = (reason: string): ChangeRefusal => ({ code: 'INVALID_INPUT', reason });

function valueProblem(field: string, value: unknown, schema: PropertySchema): string | undefined {
  switch (schema.type) {
    case 'string': {
      if (typeof value !== 'string') return `${field} must be text`;
      if (schema.maxLength !== undefined && [...value].length > schema.maxLength) return `${field} is longer than ${schema.maxLength} characters`;
      break;
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${field} must be a number`;
      if (schema.minimum !== undefined && value < schema.minimum) return `${field} is below ${schema.minimum}`;
      if (schema.maximum !== undefined && value > schema.maximum) return `${field} is above ${schema.maximum}`;
      if (schema.multipleOf === 1 && !Number.isInteger(value)) return `${field} must be a whole number`;
      break;
    }
    case 'boolean':
      if (typeof value !== 'boolean') return `${field} must be true or false`;
      break;
    case 'array': {
      if (!Array.isArray(value)) return `${field} must be a list`;
      if (schema.items) {
        for (const item of value) {
          const problem = valueProblem(`${field} item`, item, schema.items);
          if (problem) return problem;
        }
      }
      break;
    }
    default:
      break;
  }
  if (schema.enum && !schema.enum.includes(value)) return `${field} '${String(value)}' is not one of: ${schema.enum.join(', ')}`;
  return undefined;
}

/** Why the document does not fit its collection's schema, or undefined when it does. */
export function schemaProblem(collection: string, doc: ChangeDoc): string | undefined {
  const schema = Object.hasOwn(COLLECTIONS, collection)
    ? ((COLLECTIONS as Record<string, unknown>)[collection] as ObjectSchema)
    : undefined;
  if (!schema) return `"${collection}" is not a collection the hub replicates`;
  for (const field of schema.required ?? []) {
    if (doc[field] === undefined) return `${field} is missing`;
  }
  for (const [field, value] of Object.entries(doc)) {
    if (field.startsWith('_') || value === undefined) continue;
    const property = schema.properties[field];
    if (!property) return `${field} is not a field of ${collection}`;
    const problem = valueProblem(field, value, property);
    if (problem) return problem;
  }
  return undefined;
}

/** The message of a domain rule's FactordeskError; other errors propagate (they are bugs). */
function domainProblem(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (isFactordeskError(error)) return error.userMessage;
    throw error;
  }
}

function duplicates(values: unknown): boolean {
  return Array.isArray(values) && new Set(values).size !== values.length;
}

function userProblem(doc: ChangeDoc): string | undefined {
  return domainProblem(() =>
    normalizeUserInput({ username: String(doc['username']), realname: String(doc['realname']), email: String(doc['email']) }),
  );
}

function phoneProblem(before: ChangeDoc | undefined, doc: ChangeDoc): ChangeRefusal | undefined {
  const problem = domainProblem(() =>
    normalizePhoneFields({
      number: String(doc['number']),
      extension: String(doc['extension']),
      name: String(doc['name']),
      model: String(doc['model']),
      os_version: String(doc['os_version']),
    }),
  );
  if (problem) return invalidInput(problem);
  const users = doc['users'] as unknown[];
  if (duplicates(users)) return invalidInput('a device lists a user more than once');
  if (doc['deletion'] === '' && users.length === 0) {
    return invalidInput('a device without users must be marked deleted (removing its last user deletes it)');
  }
  if (before?.['deletion'] === 'explicit' && before['_deleted'] !== true && doc['deletion'] !== 'explicit') {
    return { code: 'REFUSED', reason: `device ${String(doc['phone_id'])} was deleted on purpose; add it again as a new device` };
  }
  return undefined;
}

function tokenProblem(before: ChangeDoc | undefined, doc: ChangeDoc): ChangeRefusal | undefined {
  const serial = String(doc['serial']);
  let type: TokenType | undefined;
  const problem = domainProblem(() => {
    validateSerial(serial);
    type = parseTokenType(String(doc['type']));
  });
  if (problem) return invalidInput(problem);
  if (serial.trim() !== serial) return invalidInput('a token serial has no surrounding blanks');
  if (doc['token_id'] !== tokenIdForSerial(serial)) {
    return invalidInput(`token_id ${String(doc['token_id'])} does not belong to serial ${serial} (it is ${tokenIdForSerial(serial)})`);
  }
  const step = doc['totp_step'] as number;
  if (type && isTotpToken(type) ? step < 1 || step > MAX_TOTP_STEP : step !== 0) {
    return invalidInput(`totp_step ${step} does not fit a ${String(type)} token (TOTP: 1 to ${MAX_TOTP_STEP} seconds; others: 0)`);
  }
  if (duplicates(doc['users']) || duplicates(doc['admins'])) return invalidInput('a token lists a user or an administrator more than once');
  if (before && before['_deleted'] !== true) {
    for (const field of ['serial', 'type', 'origin'] as const) {
      if (before[field] !== doc[field]) return invalidInput(`a token's ${field} cannot change; import it again as a new token`);
    }
  }
  return undefined;
}

/**
 * Why the hub must refuse this change whoever pushes it, or undefined when the new state is acceptable.
 * `before` is the hub's master state (absent when it has none).
 */
export function validateChange(collection: string, before: ChangeDoc | undefined | null, after: ChangeDoc): ChangeRefusal | undefined {
  const base = before ?? undefined;
  if (after['_deleted'] === true) {
    if (collection === 'tokens' && base && base['_deleted'] !== true) {
      const problem = domainProblem(() =>
        assertDeletable({ type: String(base['type']) as TokenType, origin: String(base['origin']) as 'vendor', serial: String(base['serial']) }),
      );
      if (problem) return { code: 'REFUSED', reason: problem };
    }
    return undefined;
  }
  const shape = schemaProblem(collection, after);
  if (shape) return invalidInput(`Invalid ${collection} document: ${shape}.`);
  if (collection === 'users') {
    const problem = userProblem(after);
    return problem ? invalidInput(problem) : undefined;
  }
  if (collection === 'phones') return phoneProblem(base, after);
  if (collection === 'tokens') return tokenProblem(base, after);
  if (collection === 'admins' && String(after['name']).trim() === '') return invalidInput('an administrator needs a name');
  return undefined;
}
