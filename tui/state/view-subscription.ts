/**
 * One live daemon view as the TUI uses it: subscribe once, then `view.update` whenever the wanted spec changes
 * (a keystroke in the filter, a scroll), and hand every reply and `view.changed` push to the owner.
 *
 * At most one request is in flight: specs that change while one is (a burst of keys) are coalesced, and only
 * the latest is sent next. A spec the daemon refused is not sent again until it changes.
 */
import type { ViewSpec, ViewUpdate } from '../../src/rpc/contract.js';
import type { DaemonClient } from '../rpc-client-types.js';

export interface ViewSubscriptionHandlers {
  /**
   * A reply to subscribe/update (`reply`) or a push after a change (`push`); `spec` is the spec the update
   * answers (the request's for a reply, the last answered one's for a push).
   */
  onUpdate(update: ViewUpdate, cause: 'reply' | 'push', spec: ViewSpec): void;
  /** The daemon refused a spec (a filter that does not parse, a forbidden view). */
  onError(error: unknown, spec: ViewSpec): void;
}

/** A live view whose spec can change; see the file comment. */
export class ViewSubscription {
  private id: string | undefined;
  private wanted: ViewSpec | undefined;
  private wantedKey = '';
  private answered: ViewSpec | undefined;
  private sentKey = '';
  private inFlight = false;
  private closed = false;
  private readonly stopListening: () => void;

  constructor(
    private readonly client: DaemonClient,
    private readonly handlers: ViewSubscriptionHandlers,
  ) {
    this.stopListening = client.onViewChanged((update) => {
      if (!this.closed && this.id !== undefined && this.answered && update.subscriptionId === this.id) handlers.onUpdate(update, 'push', this.answered);
    });
  }

  /** The daemon's id for this view once subscribed. */
  get subscriptionId(): string | undefined {
    return this.id;
  }

  /** Asks for this spec; nothing is sent when it equals the last one sent. */
  set(spec: ViewSpec): void {
    if (this.closed) return;
    this.wanted = spec;
    this.wantedKey = JSON.stringify(spec);
    this.pump();
  }

  /** Stops listening and unsubscribes (once any request in flight has come back). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopListening();
    if (!this.inFlight) this.unsubscribe();
  }

  private unsubscribe(): void {
    const id = this.id;
    this.id = undefined;
    if (id !== undefined) void this.client.request('view.unsubscribe', { subscriptionId: id }).catch(() => undefined);
  }

  private pump(): void {
    if (this.inFlight || this.closed || this.wanted === undefined || this.wantedKey === this.sentKey) return;
    const spec = this.wanted;
    const key = this.wantedKey;
    this.inFlight = true;
    const request =
      this.id === undefined
        ? this.client.request('view.subscribe', spec)
        : this.client.request('view.update', { subscriptionId: this.id, spec });
    request
      .then(
        (update) => {
          this.id = update.subscriptionId;
          this.sentKey = key;
          this.answered = spec;
          if (!this.closed) this.handlers.onUpdate(update, 'reply', spec);
        },
        (error: unknown) => {
          this.sentKey = key;
          if (!this.closed) this.handlers.onError(error, spec);
        },
      )
      .finally(() => {
        this.inFlight = false;
        if (this.closed) this.unsubscribe();
        else this.pump();
      });
  }
}
