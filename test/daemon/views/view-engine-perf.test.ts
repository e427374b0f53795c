/**
 * Filtering at enterprise size (100k users, 120k devices, 20k tokens, 5k U2F): logs load and index build
 * times, memory, and per-keystroke latency (p50/p95/max) while typing filters into a live subscription,
 * plus fresh (un-narrowed) queries and change batches. Timings are printed, never asserted: the machine
 * may be shared. What is asserted is that the typed results equal the reference predicate's.
 */
import { describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { ReadModel } from '../../../daemon/views/read-model.js';
import { ViewEngine } from '../../../daemon/views/view-engine.js';
import { buildRow } from '../../../daemon/views/rows.js';
import { compileFilter } from '../../../src/filter/match.js';
import { indexRow } from '../../../src/filter/indexed-row.js';
import { parseFilter } from '../../../src/filter/parse.js';
import type { EntityName } from '../../../src/rpc/contract.js';
import { DAY, T0, generateDataSet } from './view-data.js';

const NOW = T0;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const ms = (v: number) => `${v.toFixed(2)} ms`;
const heapMb = () => Math.round(process.memoryUsage().heapUsed / 1e6);

/** Reference count of a filter: every row prepared afresh and tested by compileFilter. */
function referenceTotal(model: ReadModel, entity: EntityName, filter: string): number {
  const match = compileFilter(parseFilter(entity, filter), { now: NOW });
  const collection = entity === 'devices' ? 'phones' : 'users';
  let n = 0;
  for (const doc of model.all(collection)) if (match(indexRow(entity, buildRow(model, entity, doc as never)))) n++;
  return n;
}

describe('ViewEngine at enterprise size', () => {
  it('filters 120k devices and 100k users per keystroke from the in-memory index (timings logged)', () => {
    const log: string[] = [];
    let t = performance.now();
    const data = generateDataSet({ users: 100_000, phones: 120_000, tokens: 20_000, u2f: 5_000, audit: 10_000 }, 42);
    log.push(`generate data: ${ms(performance.now() - t)}`);

    const heap0 = heapMb();
    const model = new ReadModel();
    t = performance.now();
    for (const name of ['users', 'phones', 'tokens', 'u2f', 'admins', 'audit'] as const) model.load(name, data[name] as never);
    log.push(`read model load (all collections): ${ms(performance.now() - t)}, heap +${heapMb() - heap0} MB`);

    const engine = new ViewEngine(model, { now: () => NOW });
    for (const entity of ['devices', 'users'] as const) {
      const before = heapMb();
      t = performance.now();
      engine.query({ entity });
      log.push(`first ${entity} query (builds the index): ${ms(performance.now() - t)}, heap +${heapMb() - before} MB`);
    }

    const typed: Record<'devices' | 'users', string[]> = {
      devices: [
        'platform:ios os:<17 encrypted:no alice',
        'shared:yes user:bob',
        'tampered:yes -platform:android',
        'last_seen:>90d activated:no',
        'smith iphone',
        'number:5550',
      ],
      users: ['status:active smith', 'phones:>1 alice', 'email:example.com carol'],
    };
    const keystrokes: number[] = [];
    for (const entity of ['devices', 'users'] as const) {
      const sub = engine.subscribe({ entity }, () => {});
      for (const text of typed[entity]) {
        for (let i = 1; i <= text.length; i++) {
          const start = performance.now();
          try {
            engine.update(sub.subscriptionId, { entity, filter: text.slice(0, i) });
          } catch {
            // An incomplete term ("platform:") is refused; the TUI keeps the previous rows.
          }
          keystrokes.push(performance.now() - start);
        }
        const final = engine.update(sub.subscriptionId, { entity, filter: text });
        expect(final.total).toBe(referenceTotal(model, entity, text));
        // Clearing the filter between phrases, as a user would.
        engine.update(sub.subscriptionId, { entity, filter: '' });
      }
      engine.unsubscribe(sub.subscriptionId);
    }
    log.push(
      `keystrokes (${keystrokes.length}, live subscription, window 100): p50 ${ms(percentile(keystrokes, 50))}, ` +
        `p95 ${ms(percentile(keystrokes, 95))}, max ${ms(Math.max(...keystrokes))}`,
    );

    // Fresh filters: nothing cached to start from (a pasted filter, or the first keystroke after a change).
    const fresh: number[] = [];
    const filters = ['alice', 'os:<16', 'platform:android', 'shared:yes', 'user:carol', '"s iphone"', 'last_seen:>30d', 'a', 'encrypted:no tampered:yes'];
    for (let round = 0; round < 3; round++) {
      for (const f of filters) {
        // An edit empties the cached results; it is applied before the clock starts.
        const phone = model.phone('P0119999')!;
        model.apply('phones', { op: 'UPDATE', doc: { ...phone, name: `fresh ${round} ${f}` } });
        engine.version('devices');
        const start = performance.now();
        engine.query({ entity: 'devices', filter: f });
        fresh.push(performance.now() - start);
      }
    }
    log.push(`fresh device filters (${fresh.length}): p50 ${ms(percentile(fresh, 50))}, p95 ${ms(percentile(fresh, 95))}, max ${ms(Math.max(...fresh))}`);

    t = performance.now();
    engine.query({ entity: 'devices', sort: { key: 'name', dir: 'asc' } });
    log.push(`first sort of devices by name: ${ms(performance.now() - t)}`);

    // Change batches with a live subscription: 100 attach/rename edits per frame.
    const pushes: number[] = [];
    engine.subscribe({ entity: 'devices', filter: 'platform:ios' }, () => pushes.push(1));
    const frames: number[] = [];
    for (let frame = 0; frame < 10; frame++) {
      for (let i = 0; i < 100; i++) {
        const phone = model.phone(`P${String(frame * 1000 + i).padStart(7, '0')}`)!;
        model.apply('phones', { op: 'UPDATE', doc: { ...phone, name: `edited ${frame}`, last_seen: new Date(NOW - DAY).toISOString() } });
      }
      const start = performance.now();
      engine.flush();
      frames.push(performance.now() - start);
    }
    log.push(`frames of 100 device edits with 2 live views: p50 ${ms(percentile(frames, 50))}, max ${ms(Math.max(...frames))}`);
    log.push(`heap in use: ${heapMb()} MB`);
    console.log(`\n[view-engine perf]\n  ${log.join('\n  ')}`);

    expect(pushes.length).toBeGreaterThan(0);
    expect(engine.query({ entity: 'devices', filter: 'edited' }).total).toBe(1000);
    engine.close();
  }, 600_000);
});
