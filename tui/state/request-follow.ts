/**
 * Following a hub request from a dialog (resync, activation, token import): the daemon is asked for it again
 * and again, each ask waiting at the daemon for a change, until the hub has answered.
 */
import { isAnswered } from '../../src/domain/request.js';
import type { RequestView } from '../../src/rpc/contract.js';
import type { DaemonClient } from '../rpc-client-types.js';

/** How long one `requests.get` waits at the daemon for the hub's answer. */
export const REQUEST_WAIT_MS = 5000;
/** A pause between polls, so that a daemon answering at once is not asked in a tight loop. */
const POLL_GAP_MS = 200;

/**
 * Follows `first` until the hub has answered it, telling `onChange` each new state; resolves with the answered
 * request, or undefined as soon as `wanted()` is false (the dialog following it was closed). A failed ask rejects.
 */
export async function followRequest(
  client: DaemonClient,
  first: RequestView,
  wanted: () => boolean,
  onChange: (request: RequestView) => void,
): Promise<RequestView | undefined> {
  let request = first;
  while (!isAnswered(request)) {
    if (!wanted()) return undefined;
    request = await client.request('requests.get', { request: request.request_id, wait: REQUEST_WAIT_MS });
    onChange(request);
    if (!isAnswered(request)) await new Promise((resolve) => setTimeout(resolve, POLL_GAP_MS));
  }
  return request;
}
