/**
 * The interactive front end's entry: `runTui` checks for a terminal, makes React run its production build
 * (NODE_ENV must be set before React loads, hence the dynamic import), and starts the app (start.tsx). The
 * app itself is root.tsx; its state is in state/, its keys in keymap/.
 */
import { FactordeskError } from '../src/errors.js';
import type { StartView } from './state/store.js';

export interface RunTuiOptions {
  /** The data directory (else FACTORDESK_HOME / XDG defaults). */
  dataDir?: string;
  /** Open at this view (from `factordesk open LINK`): its list, filter, sort and selected row. */
  view?: StartView;
}

/** Opens the TUI on the given data directory; resolves when the user quits. */
export async function runTui(options: RunTuiOptions = {}): Promise<void> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new FactordeskError('INVALID_INPUT', 'the TUI needs a terminal; for scripts use the CLI subcommands (see factordesk --help)');
  }
  process.env.NODE_ENV ??= 'production';
  // Ink draws only a final frame when CI or CONTINUOUS_INTEGRATION is set; on an interactive terminal (checked
  // above) that would leave the screen blank, so those are dropped before Ink loads.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  const { startTui } = await import('./start.js');
  await startTui(options);
}
