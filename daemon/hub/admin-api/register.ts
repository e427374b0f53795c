/**
 * The Duo Admin API compatible REST surface of the hub, `/admin/v1/...`, on the hub's own port and TLS, so that
 * scripts written with Duo's client libraries work against a hub unchanged.
 *
 * Every request reaches these routes authenticated by the hub's preHandler (signature v2 over the query or form
 * body, v5 over a JSON body; daemon/hub/auth.ts), as the administrator whose integration key signed it. Then, in
 * order: the key's request budget (429 with Retry-After), the role's permission for the endpoint (403), the
 * handler. Every answer is Duo's envelope (envelope.ts); every write is a role-checked compare-and-swap push,
 * audited and streamed like a daemon's (commit.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { assertAllowed } from '../../../src/roles.js';
import { activationRoutes } from './activation-routes.js';
import { adminRoutes } from './admins-routes.js';
import { ADMIN_API_CLIENT } from './commit.js';
import { DocumentCache } from './documents.js';
import { failureOf, ok, RateLimitedError } from './envelope.js';
import { ApiParams } from './params.js';
import { phoneRoutes } from './phones-routes.js';
import { DEFAULT_RATE_LIMIT, RateLimiter } from './rate-limit.js';
import { registrationRoutes } from './registrations-routes.js';
import type { AdminApiDeps, ApiRoute } from './route.js';
import { tokenRoutes } from './tokens-routes.js';
import { userPhoneRoutes } from './user-phones-routes.js';
import { userTokenRoutes } from './user-tokens-routes.js';
import { userRoutes } from './users-routes.js';

export type { AdminApiDeps } from './route.js';

/** Where the Admin API lives on the hub. */
export const ADMIN_API_PREFIX = '/admin/v1';

/** Every endpoint, in the order of Duo's documentation. */
export const ADMIN_API_ROUTES: readonly ApiRoute[] = [
  ...userRoutes,
  ...userPhoneRoutes,
  ...userTokenRoutes,
  ...phoneRoutes,
  ...activationRoutes,
  ...tokenRoutes,
  ...registrationRoutes,
  ...adminRoutes,
];

/** Registers the Admin API routes on the hub's fastify app (see the top). */
export function registerAdminApi(app: FastifyInstance, deps: AdminApiDeps): void {
  const docs = new DocumentCache(deps.store, deps.account);
  const limiter = new RateLimiter(deps.rateLimit ?? DEFAULT_RATE_LIMIT);

  const handle = (route: ApiRoute) => async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      const who = request.who;
      if (!who) throw new Error('an unauthenticated request reached the Admin API');
      const decision = limiter.take(who.ikey, deps.now().getTime());
      if (!decision.ok) throw new RateLimitedError(decision.retryAfterSeconds);
      assertAllowed(who.admin.role, route.action);
      const result = await route.handler({
        deps,
        who,
        params: ApiParams.of(request.url, request.body),
        path: request.params as Record<string, string>,
        docs,
        write: {
          store: deps.store,
          account: deps.account,
          now: deps.now,
          pusher: { admin_id: who.admin.admin_id, name: who.admin.name, role: who.admin.role, client: ADMIN_API_CLIENT },
        },
      });
      return reply.code(200).send(ok(result.response, result.metadata));
    } catch (error) {
      const answer = failureOf(error);
      if (answer.status >= 500) request.log.error({ err: error, url: request.url }, 'Admin API request failed');
      else request.log.info({ url: request.url, code: answer.body.code, reason: answer.body.message_detail }, 'Admin API request refused');
      if (answer.retryAfter !== undefined) void reply.header('Retry-After', String(answer.retryAfter));
      return reply.code(answer.status).send(answer.body);
    }
  };

  for (const route of ADMIN_API_ROUTES) app.route({ method: route.method, url: ADMIN_API_PREFIX + route.url, handler: handle(route) });
}
