/**
 * What an Admin API endpoint is: a method, a path under `/admin/v1`, the role-matrix action an administrator
 * needs to call it at all, and a handler that gets the request's context and returns Duo's `response` (and the
 * paging metadata of a list). Registration (register.ts) does authentication, the rate limit, the role check
 * and the envelope around it.
 */
import type { Action } from '../../../src/roles.js';
import type { Authenticated } from '../auth.js';
import type { HubStore } from '../store.js';
import type { WriteContext } from './commit.js';
import type { DocumentCache } from './documents.js';
import type { ListMetadata } from './envelope.js';
import { pageOf } from './paging.js';
import type { ApiParams } from './params.js';
import type { RateLimitOptions } from './rate-limit.js';

/** What the Admin API is built on. */
export interface AdminApiDeps {
  store: HubStore;
  account: string;
  /** The hub's clock. */
  now: () => Date;
  /** The per-key request budget (default: rate-limit.ts DEFAULT_RATE_LIMIT). */
  rateLimit?: RateLimitOptions;
  /** HOTP counters a resync scans ahead (default: src/otp/resync.ts DEFAULT_RESYNC_WINDOW). */
  resyncWindow?: number;
}

/** One request as a handler sees it. */
export interface ApiRequest {
  deps: AdminApiDeps;
  who: Authenticated;
  params: ApiParams;
  /** The path's parameters, e.g. `{phone_id}`. */
  path: Readonly<Record<string, string>>;
  docs: DocumentCache;
  /** Writes as the signing administrator (commit.ts). */
  write: WriteContext;
}

/** Duo's `response` and, for a list, its paging metadata. */
export interface ApiResult {
  response: unknown;
  metadata?: ListMetadata;
}

export interface ApiRoute {
  method: 'GET' | 'POST' | 'DELETE';
  /** Under `/admin/v1`, fastify syntax (`/phones/:phone_id`). */
  url: string;
  /** Checked before the handler runs; the writes are checked again, row by row, when pushed. */
  action: Action;
  handler: (request: ApiRequest) => Promise<ApiResult>;
}

/** The page of `items` the request asks for (limit/offset), mapped to Duo objects. */
export function listResult<T>(request: ApiRequest, items: readonly T[], toObject: (item: T) => unknown): ApiResult {
  const { items: page, metadata } = pageOf(items, request.params.paging());
  return { response: page.map(toObject), metadata };
}

/** A path parameter (fastify always gives the declared ones). */
export function pathParam(request: ApiRequest, name: string): string {
  return request.path[name] ?? '';
}
