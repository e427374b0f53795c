/** View handlers: one-shot queries, live subscriptions per connection, and reports of a filtered view. */
import { ENTITIES, type EntityName, type ViewSpec } from '../../src/rpc/contract.js';
import { entityViewAction } from '../../src/roles.js';
import { invalid } from '../../src/errors.js';
import { toCsv } from '../../src/report/csv.js';
import { toJson } from '../../src/report/json.js';
import type { CommandContext } from '../command-context.js';
import type { RpcHandlers } from '../rpc-server.js';
import type { ViewEngine } from '../views/view-engine.js';

type ViewHandlers = Pick<
  RpcHandlers,
  'view.query' | 'view.subscribe' | 'view.update' | 'view.unsubscribe' | 'report.export'
>;

/** Checks the entity name and that the acting role may see it. */
function checkSpec(cx: CommandContext, spec: Partial<ViewSpec> | undefined): EntityName {
  const entity = spec?.entity;
  if (!entity || !(ENTITIES as readonly string[]).includes(entity)) {
    throw invalid(`Unknown view "${String(entity)}".`, `Views: ${ENTITIES.join(', ')}.`);
  }
  cx.allow(entityViewAction(entity));
  return entity;
}

/** The view handlers; subscriptions end with the connection that made them. */
export function viewCommands(cx: CommandContext, engine: ViewEngine): ViewHandlers {
  const byConnection = new Map<string, Set<string>>();

  return {
    'view.query': async (spec) => {
      checkSpec(cx, spec);
      return engine.query(spec);
    },

    'view.subscribe': async (spec, call) => {
      checkSpec(cx, spec);
      const initial = engine.subscribe(spec, (update) => call.notify(update));
      let ids = byConnection.get(call.connectionId);
      if (!ids) {
        const created = new Set<string>();
        ids = created;
        byConnection.set(call.connectionId, created);
        call.onClose(() => {
          for (const id of created) engine.unsubscribe(id);
          byConnection.delete(call.connectionId);
        });
      }
      ids.add(initial.subscriptionId);
      return initial;
    },

    'view.update': async ({ subscriptionId, spec }, call) => {
      checkSpec(cx, spec);
      if (!byConnection.get(call.connectionId)?.has(subscriptionId)) {
        throw invalid(`No subscription "${subscriptionId}" on this connection.`);
      }
      return engine.update(subscriptionId, spec);
    },

    'view.unsubscribe': async ({ subscriptionId }, call) => {
      if (byConnection.get(call.connectionId)?.delete(subscriptionId)) engine.unsubscribe(subscriptionId);
      return { ok: true as const };
    },

    'report.export': async ({ spec, format }) => {
      const entity = checkSpec(cx, spec);
      cx.allow('report.export');
      if (format !== 'csv' && format !== 'json') throw invalid(`Unknown report format "${String(format)}".`, 'Use csv or json.');
      const rows = engine.rowsFor({ ...spec, entity });
      const content = format === 'csv' ? toCsv(entity, rows) : toJson(entity, rows);
      return { content, rows: rows.length };
    },
  };
}
