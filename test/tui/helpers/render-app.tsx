/**
 * Renders the whole TUI with ink-testing-library over a client (fake or real): keys go in through stdin
 * (a string written at once is one read, i.e. a burst), and tests wait for frame content, never for time.
 */
import React from 'react';
import { render } from 'ink-testing-library';
import { App } from '../../../tui/root.js';
import type { DaemonClient } from '../../../tui/rpc-client-types.js';
import { createAppStore, type AppStore, type StartView } from '../../../tui/state/store.js';
import type { TermSize } from '../../../tui/state/types.js';

/** Terminal sequences of named keys. */
export const KEYS: Readonly<Record<string, string>> = {
  enter: '\r',
  escape: '\u001b',
  tab: '\t',
  'shift+tab': '\u001b[Z',
  up: '\u001b[A',
  down: '\u001b[B',
  'shift+up': '\u001b[1;2A',
  'shift+down': '\u001b[1;2B',
  pageup: '\u001b[5~',
  pagedown: '\u001b[6~',
  right: '\u001b[C',
  left: '\u001b[D',
  space: ' ',
  backspace: '\u007f',
  'ctrl+c': '\u0003',
  'ctrl+u': '\u0015',
};

export interface RenderedApp {
  store: AppStore;
  /** The last frame, as text. */
  frame(): string;
  /** Writes each argument as one read: a named key (see KEYS) or literal text (a burst when longer than one). */
  press(...keys: string[]): void;
  /** Waits until the frame contains the text / matches, or fails with the last frame. */
  waitFor(expected: string | RegExp | ((frame: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Files the app "wrote" (export) and text it "copied". */
  written: Map<string, string>;
  copied: string[];
  unmount(): void;
}

/** See the file comment. */
export function renderApp(options: { client: DaemonClient; size?: TermSize; start?: StartView }): RenderedApp {
  const written = new Map<string, string>();
  const copied: string[] = [];
  const store = createAppStore({
    client: options.client,
    size: options.size ?? { columns: 100, rows: 30 },
    ...(options.start ? { start: options.start } : {}),
    deps: {
      writeFile: (file, content) => void written.set(file, content),
      copy: (text) => void copied.push(text),
      cwd: '/work/reports',
      homeDir: '/home/ada',
      now: () => Date.UTC(2024, 4, 1, 12, 0),
    },
  });
  const ink = render(<App store={store} client={options.client} fixedSize />);
  const frame = () => ink.lastFrame() ?? '';
  return {
    store,
    frame,
    written,
    copied,
    press(...keys) {
      for (const k of keys) ink.stdin.write(KEYS[k] ?? k);
    },
    async waitFor(expected, timeoutMs = 5000) {
      const ok = (f: string) =>
        typeof expected === 'string' ? f.includes(expected) : expected instanceof RegExp ? expected.test(f) : expected(f);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const f = frame();
        if (ok(f)) return f;
        if (Date.now() > deadline) throw new Error(`frame never matched ${String(expected)}; last frame:\n${f}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    unmount() {
      ink.unmount();
      ink.cleanup();
    },
  };
}
