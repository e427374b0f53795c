/**
 * Runs the TUI on the process's terminal: connects to the daemon (starting it when needed), enters the
 * alternate screen, renders the app, and on quit, Ctrl+C, a signal or a crash unsubscribes, closes the
 * connection and restores the terminal. Loaded by app.tsx after NODE_ENV is set, so React's production
 * build is the one used.
 */
import React from 'react';
import { render } from 'ink';
import { installFastInkOutput } from './ink-output.js';
import { connectDaemon } from './rpc-client.js';
import { App } from './root.js';
import { createAppStore, type StartView } from './state/store.js';
import { copyToClipboard, enterAltScreen, incrementalSafeStdout } from './terminal.js';

export interface StartTuiOptions {
  dataDir?: string;
  view?: StartView;
}

const SIGNALS: Record<string, number> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

/** See the file comment. Resolves when the user quits. */
export async function startTui(options: StartTuiOptions): Promise<void> {
  const client = await connectDaemon({ dataDir: options.dataDir, client: 'tui' });
  const out = process.stdout;
  const store = createAppStore({
    client,
    size: { columns: out.columns || 80, rows: out.rows || 24 },
    ...(options.view ? { start: options.view } : {}),
    deps: { copy: (text) => copyToClipboard(out, text) },
  });
  // Known before the first frame, so the status line never starts out unsure of the hub (the app keeps it current).
  try {
    store.getState().applySyncStatus(await client.request('sync.status', {}));
  } catch {
    // The app's sync watch asks again and shows why if it still fails.
  }

  await installFastInkOutput();
  const terminal = enterAltScreen(out);
  const cleanups: Array<() => void> = [];
  const on = (event: string, handler: (...args: never[]) => void) => {
    process.on(event as NodeJS.Signals, handler as () => void);
    cleanups.push(() => process.off(event as NodeJS.Signals, handler as () => void));
  };
  const fail = (error: unknown) => {
    terminal.restore();
    client.close();
    process.stderr.write(`factordesk: the TUI stopped on an unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.FACTORDESK_DEBUG) process.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
    process.exit(1);
  };
  on('exit', () => terminal.restore());
  on('uncaughtException', fail);
  on('unhandledRejection', fail);
  for (const [signal, number] of Object.entries(SIGNALS)) {
    on(signal, () => {
      terminal.restore();
      client.close();
      process.exit(128 + number);
    });
  }

  // Ctrl+C is a key like any other (the keymap quits on it), so the cleanup below always runs.
  const app = render(<App store={store} client={client} />, {
    stdout: incrementalSafeStdout(out),
    exitOnCtrlC: false,
    incrementalRendering: true,
    patchConsole: false,
    maxFps: 60,
  });
  try {
    await app.waitUntilExit();
  } finally {
    // Closed first: unmounting unsubscribes every view, and a closed client refuses those at once (the daemon
    // drops a closed connection's subscriptions by itself).
    client.close();
    app.unmount();
    terminal.restore();
    for (const cleanup of cleanups) cleanup();
  }
}
