/** What a CLI subcommand is handed: a lazily connected daemon client and the output settings. */
import type { DaemonClient } from '../rpc-client-types.js';

export type OutputFormat = 'table' | 'csv' | 'json';

export interface CliContext {
  /** Connects on first use (starting the daemon if needed); exits 3 when it cannot. */
  client(): Promise<DaemonClient>;
  /** The --format chosen (default table). */
  format(): OutputFormat;
  /** Writes to stdout. */
  out(text: string): void;
}
