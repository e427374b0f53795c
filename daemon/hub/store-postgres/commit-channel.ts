/**
 * Commit fan-out between hub processes on one PostgreSQL database: each push transaction calls
 * `pg_notify(COMMIT_CHANNEL, payload)` (delivered only if it commits), and each store instance keeps one
 * connection LISTENing. When that connection drops it reconnects with backoff and then reports `resync`,
 * because notifications sent meanwhile are lost.
 */
import pg from 'pg';
import type { CommitEvent } from '../store.js';

/** The NOTIFY channel of hub commits. */
export const COMMIT_CHANNEL = 'factordesk_hub_commit';

/** What a commit notification carries (short keys: a payload must stay under 8000 bytes). */
interface CommitPayload {
  /** The instance that committed, which has already told its own listeners. */
  o: string;
  a: string;
  c: string[];
  s: number;
}

/** The payload of a commit notification. */
export function commitPayload(origin: string, account: string, collections: readonly string[], seq: number): string {
  const payload: CommitPayload = { o: origin, a: account, c: [...collections], s: seq };
  return JSON.stringify(payload);
}

/** The commit event of a notification payload, or undefined when it is not ours or comes from `self`. */
export function parseCommitPayload(text: string | undefined, self: string): CommitEvent | undefined {
  if (text === undefined) return undefined;
  try {
    const p = JSON.parse(text) as Partial<CommitPayload>;
    if (p.o === self || typeof p.a !== 'string' || !Array.isArray(p.c) || typeof p.s !== 'number') return undefined;
    return { kind: 'commit', account: p.a, collections: p.c.filter((c): c is string => typeof c === 'string'), seq: p.s };
  } catch {
    return undefined;
  }
}

/** The application_name of listen connections, so an operator (or a test) can find them in pg_stat_activity. */
export const LISTEN_APPLICATION_NAME = 'factordesk-hub-listen';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

/** One LISTEN connection that survives drops. */
export class CommitChannel {
  private client: pg.Client | undefined;
  private closed = false;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly config: pg.ClientConfig,
    private readonly self: string,
    private readonly deliver: (event: CommitEvent) => void,
  ) {}

  /** Connects and LISTENs; rejects when the first connection fails (the store does not open then). */
  static async open(config: pg.ClientConfig, self: string, deliver: (event: CommitEvent) => void): Promise<CommitChannel> {
    const channel = new CommitChannel(config, self, deliver);
    await channel.connect();
    return channel;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ ...this.config, application_name: LISTEN_APPLICATION_NAME });
    // Without an error listener a dropped connection would crash the process.
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      if (message.channel !== COMMIT_CHANNEL) return;
      const event = parseCommitPayload(message.payload, this.self);
      if (event) this.deliver(event);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${COMMIT_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = FIRST_RETRY_MS;
  }

  private lost(client: pg.Client): void {
    if (this.closed || this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect().then(
        () => {
          if (!this.closed) this.deliver({ kind: 'resync' });
        },
        () => {
          this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
          this.scheduleReconnect();
        },
      );
    }, this.retryMs);
    this.retryTimer.unref();
  }

  /** Stops listening and closes the connection. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
