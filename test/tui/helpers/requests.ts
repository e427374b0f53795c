/** Server-side requests as the daemon answers them, and a fake daemon online with a hub. */
import type { RequestView } from '../../../src/rpc/contract.js';
import type { Role } from '../../../src/domain/enums.js';
import { fixtureDaemon } from './fixture.js';
import type { FakeDaemon } from './fake-daemon.js';

const T = Date.UTC(2024, 4, 1, 12, 0);

/** A request view with sensible defaults. */
export function requestView(over: Partial<RequestView> & Pick<RequestView, 'kind'>): RequestView {
  return {
    request_id: 'DQ000000000000000001',
    params: {},
    status: 'pending',
    result: {},
    error_code: '',
    error_message: '',
    admin_id: 'DEADMIN0000000000001',
    hub_id: '',
    created: T,
    updated: T,
    queued: false,
    ...over,
  };
}

/** The fixture daemon, synced with a hub in the given state. */
export function hubDaemon(role: Role = 'Owner', state: 'online' | 'offline' = 'online'): FakeDaemon {
  const d = fixtureDaemon(role);
  d.syncStatus = { ...d.syncStatus, state, hub: 'https://hub.example.com:8443', ...(state === 'offline' ? { message: 'connection refused' } : {}) };
  return d;
}

/**
 * Holds every `requests.get` like the daemon's long poll until the test answers it: `answer(view)` ends the
 * pending poll with that view (or the next one, when none is pending yet).
 */
export function heldRequests(d: FakeDaemon): { answer(view: RequestView): void } {
  const pending: ((view: RequestView) => void)[] = [];
  const ready: RequestView[] = [];
  d.on('requests.get', () => ready.shift() ?? new Promise<RequestView>((resolve) => pending.push(resolve)));
  return {
    answer(view) {
      const poll = pending.shift();
      if (poll) poll(view);
      else ready.push(view);
    },
  };
}
