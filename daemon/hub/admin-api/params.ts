/**
 * A request's parameters as the Duo clients send them: the query string (GET, DELETE), a form body (signature
 * v2) or a JSON body (signature v5, where numbers and booleans may arrive unquoted). Names are case-sensitive as
 * in Duo's API; values are read as text and each endpoint parses them (case-insensitively where they are names
 * of things: types, platforms, statuses, roles).
 */
import { invalid } from '../../../src/errors.js';
import { MissingParameterError } from './envelope.js';
import { parsePaging, type Paging } from './paging.js';

/** The parameters of one request, by name. */
export class ApiParams {
  private constructor(private readonly values: ReadonlyMap<string, string>) {}

  /** Collects the query string of `url` and the parsed body (form fields or a JSON object); the body wins. */
  static of(url: string, body: unknown): ApiParams {
    const values = new Map<string, string>();
    const query = url.indexOf('?');
    if (query >= 0) for (const [key, value] of new URLSearchParams(url.slice(query + 1))) values.set(key, value);
    if (body !== undefined && body !== null) {
      if (typeof body !== 'object' || Array.isArray(body)) throw invalid('the request body must be an object of parameters');
      for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
        const text = textOf(key, value);
        if (text !== undefined) values.set(key, text);
      }
    }
    return new ApiParams(values);
  }

  /** The value of a parameter, or undefined when it was not sent. */
  get(name: string): string | undefined {
    return this.values.get(name);
  }

  /** True when the parameter was sent (possibly empty). */
  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The value of a parameter that must be sent and not be blank. */
  required(name: string): string {
    const value = this.values.get(name);
    if (value === undefined || value.trim() === '') throw new MissingParameterError(name);
    return value;
  }

  /** A whole number from `min` to `max`, or undefined when not sent. */
  integer(name: string, min: number, max: number): number | undefined {
    const value = this.values.get(name);
    if (value === undefined || value.trim() === '') return undefined;
    const n = Number(value.trim());
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw invalid(`${name} '${value}' must be a whole number from ${min} to ${max}`);
    }
    return n;
  }

  /** A flag sent as 1/0 or true/false (any case), or undefined when not sent. */
  flag(name: string): boolean | undefined {
    const value = this.values.get(name)?.trim().toLowerCase();
    if (value === undefined || value === '') return undefined;
    if (value === '1' || value === 'true') return true;
    if (value === '0' || value === 'false') return false;
    throw invalid(`${name} '${this.values.get(name) ?? ''}' must be 1 or 0`);
  }

  /** The `limit` and `offset` of a list request. */
  paging(): Paging {
    return parsePaging(this.values.get('limit'), this.values.get('offset'));
  }
}

function textOf(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // A repeated form field: Duo's endpoints here take single values, so the last one counts (as a form does).
  if (Array.isArray(value) && value.every((v) => typeof v === 'string') && value.length > 0) return value[value.length - 1] as string;
  throw invalid(`${name} must be a single value, not a list or an object`);
}
