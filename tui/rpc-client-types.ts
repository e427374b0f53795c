/** What every front end (CLI, TUI) sees of the daemon: typed requests and view pushes. */
import type { MethodName, ParamsOf, ResultOf, ViewUpdate, Hello, SyncStatus } from '../src/rpc/contract.js';

export interface DaemonClient {
  /** The daemon's handshake answer, taken when the connection was made. */
  readonly hello: Hello;
  /** Sends one request; rejects with a FactordeskError carrying the daemon's code and message. */
  request<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  /** Called for every `view.changed` push; returns a function that stops listening. */
  onViewChanged(listener: (update: ViewUpdate) => void): () => void;
  /**
   * Called for every `sync.changed` push (the daemon sends them once this connection has asked `sync.status`);
   * returns a function that stops listening. A client without it is polled instead.
   */
  onSyncChanged?(listener: (status: SyncStatus) => void): () => void;
  /** Called once if the connection drops. */
  onClose(listener: () => void): () => void;
  close(): void;
}

export interface ConnectOptions {
  /** The data directory (else FACTORDESK_HOME / XDG defaults, see src/paths.ts). */
  dataDir?: string;
  /** Start the daemon when none answers (default true). */
  autostart?: boolean;
  /** Name sent in the handshake, e.g. `cli` or `tui`. */
  client?: string;
}
