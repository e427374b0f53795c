/**
 * The live stream (a signed WebSocket upgrade of STREAM_PATH): `hello`, then `RESYNC` so that a (re)connecting
 * daemon pulls what it missed, then a `change` per collection for every commit the store reports, this
 * process's and, on PostgreSQL, other hub processes' (LISTEN/NOTIFY). A change's checkpoint is the commit's
 * watermark (the account's last seq after it, audit events included), not the collection's last document:
 * a pull since the daemon's own checkpoint brings everything up to it. When the store may have missed
 * notifications it says `resync`, and every client is told `RESYNC`.
 *
 * Keepalive: a ping every interval; a client that has not answered the previous one is dropped. Streams stay
 * open for as long as their key is good: each is checked again every few pings, and at once on `resync()`.
 */
import type { WebSocket } from 'ws';
import type { Logger } from 'pino';
import { SYNC_PROTOCOL_VERSION, SYNCED_COLLECTIONS, type StreamMessage, type SyncedCollection } from '../../src/sync/protocol.js';
import { stillValid, type Authenticated } from './auth.js';
import type { CommitEvent, HubStore } from './store.js';

/** WebSocket close code for a key revoked while its stream was open (4000–4999 are the application's). */
export const CLOSE_REVOKED = 4401;
/** Close code when the hub shuts down (the daemon reconnects with backoff). */
export const CLOSE_GOING_AWAY = 1001;

const SYNCED: ReadonlySet<string> = new Set(SYNCED_COLLECTIONS);

interface Client {
  socket: WebSocket;
  who: Authenticated;
  alive: boolean;
}

export interface StreamOptions {
  store: HubStore;
  account: string;
  hubId: string;
  log: Logger;
  /** Default 20 s. */
  pingIntervalMs?: number;
  /** Check every stream's key every this many pings (default 3). */
  revalidateEveryPings?: number;
}

/** The stream clients of one hub process, and the fan-out of commits to them. */
export class StreamFanout {
  private readonly clients = new Set<Client>();
  private readonly unsubscribe: () => void;
  private readonly timer: NodeJS.Timeout;
  private pings = 0;
  private closed = false;

  constructor(private readonly options: StreamOptions) {
    this.unsubscribe = options.store.onCommit((event) => this.onCommit(event));
    this.timer = setInterval(() => this.tick(), options.pingIntervalMs ?? 20_000);
    this.timer.unref();
  }

  /** How many streams are open. */
  get size(): number {
    return this.clients.size;
  }

  /** Takes an authenticated, upgraded connection: greets it and tells it to resync. */
  attach(socket: WebSocket, who: Authenticated): void {
    if (this.closed) {
      socket.close(CLOSE_GOING_AWAY, 'hub shutting down');
      return;
    }
    const client: Client = { socket, who, alive: true };
    this.clients.add(client);
    socket.on('pong', () => {
      client.alive = true;
    });
    socket.on('close', () => this.clients.delete(client));
    socket.on('error', (err) => {
      this.options.log.debug({ err, admin_id: who.admin.admin_id }, 'stream error');
      this.clients.delete(client);
    });
    // Messages from the client are not part of the protocol; they are ignored.
    socket.on('message', () => undefined);
    send(client, { type: 'hello', hub_id: this.options.hubId, protocol: SYNC_PROTOCOL_VERSION });
    send(client, { type: 'RESYNC' });
    this.options.log.info({ admin_id: who.admin.admin_id, ikey: who.ikey, streams: this.clients.size }, 'stream opened');
  }

  /** Tells every client to pull everything since its checkpoints, and drops streams whose key is no longer good. */
  resync(): void {
    for (const client of this.clients) send(client, { type: 'RESYNC' });
    void this.revalidate();
  }

  private onCommit(event: CommitEvent): void {
    if (event.kind === 'resync') {
      this.resync();
      return;
    }
    if (event.account !== this.options.account) return;
    const collections = event.collections.filter((c): c is SyncedCollection => SYNCED.has(c));
    for (const client of this.clients) {
      for (const collection of collections) send(client, { type: 'change', collection, checkpoint: { seq: event.seq } });
    }
  }

  private tick(): void {
    for (const client of this.clients) {
      if (!client.alive) {
        this.options.log.info({ admin_id: client.who.admin.admin_id }, 'stream dropped: no pong');
        client.socket.terminate();
        this.clients.delete(client);
        continue;
      }
      client.alive = false;
      try {
        client.socket.ping();
      } catch {
        // closing already; the close event removes it
      }
    }
    this.pings += 1;
    if (this.pings % (this.options.revalidateEveryPings ?? 3) === 0) void this.revalidate();
  }

  private async revalidate(): Promise<void> {
    for (const client of [...this.clients]) {
      let valid = true;
      try {
        valid = await stillValid(this.options.store, this.options.account, client.who.ikey);
      } catch (err) {
        // The store being unreachable is no reason to drop a stream; the next round checks again.
        this.options.log.warn({ err }, 'could not re-check a stream key');
      }
      if (!valid) {
        this.options.log.info({ admin_id: client.who.admin.admin_id, ikey: client.who.ikey }, 'stream closed: key revoked');
        client.socket.close(CLOSE_REVOKED, 'integration key revoked');
        this.clients.delete(client);
      }
    }
  }

  /** Closes every stream (the daemons reconnect elsewhere or later) and stops listening for commits. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.unsubscribe();
    for (const client of this.clients) client.socket.close(CLOSE_GOING_AWAY, 'hub shutting down');
    this.clients.clear();
  }
}

function send(client: Client, message: StreamMessage): void {
  if (client.socket.readyState !== client.socket.OPEN) return;
  client.socket.send(JSON.stringify(message));
}
