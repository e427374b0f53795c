/**
 * Property: three replicas making random concurrent edits through random partitions (a replica that does
 * not sync is cut off) always converge, once every replica syncs until nothing changes, to the hub's
 * state; the data-set invariants hold; and the policy's promises are kept.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONFLICT_RULES, documentsEqual, type ConflictRecord } from '../../../src/conflict-policy.js';
import { checkInvariants } from '../../../src/domain/invariants.js';
import { T0 } from '../domain/fixtures.js';
import {
  NAMES,
  STATUSES,
  TOKEN_TYPES,
  SimReplica,
  applyOp,
  newEvents,
  seedHub,
  type SimOp,
} from './simulation.js';

const REPLICAS = 3;
const MAX_FINAL_ROUNDS = 12;

const index = fc.nat({ max: 11 });
const op: fc.Arbitrary<SimOp> = fc.oneof(
  fc.record({ kind: fc.constant('addPhone' as const), user: index }),
  fc.record({ kind: fc.constant('attach' as const), phone: index, user: index }),
  fc.record({ kind: fc.constant('detach' as const), phone: index, user: index }),
  fc.record({ kind: fc.constant('reorder' as const), user: index, phone: index, position: index }),
  fc.record({ kind: fc.constant('rename' as const), phone: index, name: fc.constantFrom(...NAMES) }),
  fc.record({ kind: fc.constant('retype' as const), phone: index, type: fc.constantFrom('mobile' as const, 'tablet' as const) }),
  fc.record({ kind: fc.constant('setNumber' as const), phone: index, clear: fc.boolean() }),
  fc.record({ kind: fc.constant('deletePhone' as const), phone: index }),
  fc.record({ kind: fc.constant('status' as const), user: index, status: fc.constantFrom(...STATUSES) }),
  fc.record({ kind: fc.constant('importToken' as const), serial: index, type: fc.constantFrom(...TOKEN_TYPES) }),
  fc.record({ kind: fc.constant('assignToken' as const), serial: index, user: index }),
  fc.record({ kind: fc.constant('deleteUser' as const), user: index }),
);
const replica = fc.nat({ max: REPLICAS - 1 });
/** Edits on a replica, or a sync of one replica: the others stay partitioned meanwhile. */
const step = fc.oneof(
  { arbitrary: fc.record({ replica, op }), weight: 3 },
  { arbitrary: fc.record({ replica, sync: fc.constant(true as const) }), weight: 1 },
);
const order = fc.shuffledSubarray([0, 1, 2], { minLength: REPLICAS, maxLength: REPLICAS });

describe('conflict policy: convergence of concurrent edits', () => {
  it('converges to the hub, keeps the invariants and the policy’s promises', () => {
    const rulesSeen = new Map<string, number>();
    let runs = 0;
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), fc.array(order, { minLength: 1, maxLength: 4 }), (steps, orders) => {
        runs++;
        let now = T0;
        const hub = seedHub(T0);
        const replicas = Array.from({ length: REPLICAS }, (_, i) => new SimReplica(i));
        replicas.forEach((r) => r.seedFrom(hub));
        const events = newEvents();
        const records: ConflictRecord[] = [];

        for (const s of steps) {
          now += 1;
          const r = replicas[s.replica] as SimReplica;
          if ('op' in s) applyOp(r, s.op, now, events);
          else r.sync(hub, now, records);
        }

        let quiet = false;
        for (let round = 0; round < MAX_FINAL_ROUNDS && !quiet; round++) {
          let changed = false;
          for (const i of orders[round % orders.length] as number[]) {
            now += 1;
            changed = (replicas[i] as SimReplica).sync(hub, now, records) || changed;
          }
          quiet = !changed;
        }
        expect(quiet).toBe(true);

        // Every replica equals the hub.
        for (const r of replicas) {
          expect(r.dirty.size).toBe(0);
          expect([...r.fork.keys()].sort()).toEqual([...hub.docs.keys()].sort());
          for (const [key, { doc }] of hub.docs) expect(documentsEqual(r.fork.get(key) as object, doc)).toBe(true);
        }

        // The invariants hold on the converged state.
        const phones = hub.all('phones');
        const users = hub.all('users').filter((u) => !u._deleted);
        const tokens = hub.all('tokens').filter((t) => !t._deleted);
        expect(checkInvariants({ users, phones: phones.filter((p) => !p._deleted), tokens })).toEqual([]);
        for (const p of phones) expect(p._deleted).toBe(p.deletion !== '');

        // An explicitly deleted device never comes back, and every explicit delete stands.
        expect(hub.resurrections).toEqual([]);
        const byId = new Map(phones.map((p) => [p.phone_id, p]));
        for (const id of events.explicitDeletes) expect(byId.get(id)).toMatchObject({ _deleted: true, deletion: 'explicit' });

        // An attach nobody undid (no detach of that pair, no explicit delete, user not deleted) is kept.
        for (const [phoneId, userId] of events.attaches) {
          if (events.detaches.has(`${phoneId}|${userId}`)) continue;
          if (events.explicitDeletes.has(phoneId) || events.deletedUsers.has(userId)) continue;
          expect(byId.get(phoneId)?._deleted).toBe(false);
          expect(byId.get(phoneId)?.users).toContain(userId);
        }

        for (const c of records) {
          expect(CONFLICT_RULES).toContain(c.rule);
          rulesSeen.set(c.rule, (rulesSeen.get(c.rule) ?? 0) + 1);
        }
      }),
      { numRuns: 200 },
    );
    console.log(`${runs} runs; conflict records by rule:`, Object.fromEntries([...rulesSeen].sort()));
    // The runs are random; a handful of rules showing up at all says the scenario reaches the merges.
    expect(rulesSeen.size).toBeGreaterThanOrEqual(4);
  });
});
