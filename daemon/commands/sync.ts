/**
 * The sync methods of the RPC: where sync stands (and its pushes to the connections that asked), the recorded
 * conflicts, settling one (re-applying this replica's lost side, or accepting the outcome), and a reload after
 * `login`.
 */
import { invalid, notFound, refused } from '../../src/errors.js';
import { planReapply } from '../../src/conflict-policy/reapply.js';
import type { MethodName, ParamsOf, ResultOf } from '../../src/rpc/contract.js';
import type { CommandContext } from '../command-context.js';
import type { SyncController } from '../sync.js';
import type { RpcCallContext, RpcHandlers } from '../rpc-server.js';

const MAX_CONFLICTS = 10_000;

/** What settling a conflict needs besides the controller. */
export interface SyncCommandDeps {
  /** Reads the record a conflict is about, and checks the acting role. */
  cx: CommandContext;
  /** Runs another method of the RPC exactly as a client call would (the same checks, audit and queueing). */
  call<M extends MethodName>(method: M, params: ParamsOf<M>, ctx: RpcCallContext): Promise<ResultOf<M>>;
}

type SyncHandlers = Pick<RpcHandlers, 'sync.status' | 'sync.conflicts' | 'sync.reapply' | 'sync.reload'>;

/** The record's live state in the replica, or undefined when it no longer exists. */
function currentDoc(cx: CommandContext, collection: string, id: string): Record<string, unknown> | undefined {
  switch (collection) {
    case 'phones':
      return cx.model.phone(id) as Record<string, unknown> | undefined;
    case 'users':
      return cx.model.user(id) as Record<string, unknown> | undefined;
    case 'tokens':
      return cx.model.token(id) as Record<string, unknown> | undefined;
    case 'admins':
      return cx.model.admin(id) as Record<string, unknown> | undefined;
    default:
      return undefined;
  }
}

/** The `sync.*` handlers over the daemon's sync controller. */
export function syncCommands(sync: SyncController, deps: SyncCommandDeps): SyncHandlers {
  const watched = new Set<string>();

  return {
    'sync.status': async (_params, call) => {
      await sync.ready();
      // Asking once is subscribing: the connection is told of every change until it closes.
      if (call && !watched.has(call.connectionId)) {
        watched.add(call.connectionId);
        const stop = sync.watch((status) => call.notifySync(status));
        call.onClose(() => {
          stop();
          watched.delete(call.connectionId);
        });
      }
      return sync.status();
    },

    'sync.conflicts': async ({ limit } = {}) => {
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > MAX_CONFLICTS)) {
        throw invalid(`The limit must be a whole number from 1 to ${MAX_CONFLICTS}.`);
      }
      await sync.ready();
      return sync.conflictViews(limit);
    },

    'sync.reapply': async ({ conflict_id: id, accept } = { conflict_id: '' }, call) => {
      if (typeof id !== 'string' || id.trim() === '') throw invalid('A conflict is required (its conflict_id).', 'List them with `factordesk conflicts list`.');
      await sync.ready();
      const view = sync.conflictView(id.trim());
      if (!view) throw notFound(`No conflict "${id.trim()}".`, 'List them with `factordesk conflicts list`.');
      if (view.state === 'kept-both') throw refused('Nothing of yours was lost here: the policy kept both sides.');
      if (view.state !== 'open') throw refused(`This conflict was already settled (${view.state}).`);
      if (accept !== true) {
        const steps = planReapply(view, currentDoc(deps.cx, view.collection_name, view.doc_id));
        // Every step's role first, so that a refused one leaves nothing half done.
        for (const step of steps) deps.cx.allow(step.action);
        for (const step of steps) await deps.call(step.method, step.params, call);
      }
      return sync.settle(view.conflict_id, accept === true ? 'accepted' : 'reapplied');
    },

    'sync.reload': async () => sync.reload(),
  };
}
