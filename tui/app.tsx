/**
 * The interactive front end. Until the full TUI lands this is a live, filterable device list over the daemon's
 * devices view: it shows that the daemon, the replica and the views work end to end.
 */
import React from 'react';
import { render } from 'ink';
import type { ViewSpec } from '../src/rpc/contract.js';
import { FactordeskError } from '../src/errors.js';
import { connectDaemon } from './rpc-client.js';
import { DeviceList } from './placeholder/device-list.js';
import { createDeviceListStore } from './placeholder/device-list-store.js';

const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H';
const LEAVE_ALT_SCREEN = '\u001b[?1049l';

/** Opens the TUI on the given data directory; resolves when the user quits. */
export async function runTui(options: { dataDir?: string; view?: ViewSpec } = {}): Promise<void> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new FactordeskError('INVALID_INPUT', 'the TUI needs a terminal; for scripts use the CLI subcommands (see factordesk --help)');
  }
  process.env.NODE_ENV ??= 'production';
  const client = await connectDaemon({ dataDir: options.dataDir, client: 'tui' });
  const store = createDeviceListStore(client, options.view?.filter ?? '');

  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    process.stdout.write(LEAVE_ALT_SCREEN);
  };
  process.stdout.write(ENTER_ALT_SCREEN);
  process.once('exit', restore);
  const onCrash = (err: unknown) => {
    restore();
    console.error(`factordesk: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  };
  process.once('uncaughtException', onCrash);

  const app = render(<DeviceList store={store} />, { exitOnCtrlC: true, incrementalRendering: true, patchConsole: false });
  try {
    await app.waitUntilExit();
  } finally {
    store.getState().stop();
    client.close();
    restore();
    process.off('uncaughtException', onCrash);
  }
}
