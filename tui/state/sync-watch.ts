/**
 * Keeps the TUI's copy of the daemon's sync status: one `sync.status` (which also subscribes this connection to
 * the daemon's `sync.changed` pushes), then every push. A client that cannot receive pushes is asked again every
 * two seconds instead.
 */
import type { SyncStatus } from '../../src/rpc/contract.js';
import type { DaemonClient } from '../rpc-client-types.js';

/** How often a client without pushes asks again. */
export const SYNC_POLL_MS = 2000;

export interface SyncWatchCallbacks {
  onStatus(status: SyncStatus): void;
  onError(error: unknown): void;
}

/** See the file comment. */
export class SyncWatch {
  private stopListening: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly client: DaemonClient,
    private readonly callbacks: SyncWatchCallbacks,
    private readonly pollMs = SYNC_POLL_MS,
  ) {}

  /** Asks for the status and starts following it. */
  start(): void {
    if (this.client.onSyncChanged) {
      this.stopListening = this.client.onSyncChanged((status) => {
        if (!this.closed) this.callbacks.onStatus(status);
      });
    }
    void this.ask();
  }

  /** Stops following (pushes that still arrive are ignored). */
  close(): void {
    this.closed = true;
    this.stopListening?.();
    clearTimeout(this.timer);
  }

  private async ask(): Promise<void> {
    let subscribed = false;
    try {
      const status = await this.client.request('sync.status', {});
      subscribed = this.client.onSyncChanged !== undefined;
      if (!this.closed) this.callbacks.onStatus(status);
    } catch (e) {
      if (!this.closed) this.callbacks.onError(e);
    }
    // Asked again after a failure too: the pushes only start once an answer came.
    if (this.closed || subscribed) return;
    this.timer = setTimeout(() => void this.ask(), this.pollMs);
    this.timer.unref?.();
  }
}
