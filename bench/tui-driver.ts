/**
 * Child process of the keystroke measurement: renders the real TUI (the compiled App, React's production build,
 * Ink with the options and the compositor start.tsx uses: incremental rendering at most 60 frames/s) into an
 * in-memory terminal, connected to the running daemon, opens the devices filter and replays the key steps. For
 * every key it records when the key was written, when the view request left and its reply came back, and when
 * the terminal received the frame that shows the result (match count, or the daemon's refusal of an incomplete
 * filter).
 *
 * Usage: node --import tsx bench/tui-driver.ts INPUT.json OUTPUT.json (the environment names the data directory's
 * runtime directory, see sandbox.ts). Run with NODE_ENV=production and without CI set.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { stripVTControlCharacters } from 'node:util';
import type { MethodName, ParamsOf, ResultOf, ViewSpec, ViewUpdate } from '../src/rpc/contract.js';
import type { DaemonClient } from '../tui/rpc-client-types.js';
import { importDist } from './dist.js';
import { emptyShown, scanChunk, shows, type Expected, type ShownState } from './frame-watch.js';
import type { KeyStep } from './keystrokes.js';
import { monotonicUs } from './profile-summary.js';

export interface DriverInput {
  dataDir: string;
  columns: number;
  rows: number;
  /** Pause after each key's result is on screen before the next key (a typist's rhythm, and Ink's frame budget). */
  gapMs: number;
  keyTimeoutMs: number;
  steps: KeyStep[];
  /** Ink's frame rate cap (start.tsx: 60); for experiments. */
  maxFps?: number;
}

export interface KeyRecord {
  filter: string;
  kind: KeyStep['kind'];
  /** Key written → the frame showing the result. */
  ms: number;
  /** Key written → the first frame showing the typed filter text. */
  echoMs: number;
  /** Key written → the view request sent. */
  sentMs: number;
  /** Request sent → reply received (socket + daemon). */
  rpcMs: number;
  /** Reply received → the frame showing it. */
  afterReplyMs: number;
  total?: number;
  error?: string;
}

export interface DriverOutput {
  keys: KeyRecord[];
  frames: number;
  /** Ink's own time per frame (layout and output, not React), ms. */
  inkRenderMs: number[];
  tuiRssMb: number;
  daemonPid: number;
  /** The monotonic clock (µs, see profile-summary.ts) when the first key was written and the last result shown. */
  typingWindowUs: { fromUs: number; toUs: number };
}

interface Pending {
  step: KeyStep;
  t0: number;
  echoAt?: number;
  sentAt?: number;
  repliedAt?: number;
  expected?: Expected;
  done(at: number): void;
}

/** A terminal in memory: Ink sees a TTY of a fixed size; every write goes to `onWrite`. */
class MemoryTerminal extends EventEmitter {
  readonly isTTY = true;
  constructor(
    readonly columns: number,
    readonly rows: number,
    private readonly onWrite: (chunk: string) => void,
  ) {
    super();
  }
  write = (chunk: unknown): boolean => {
    this.onWrite(typeof chunk === 'string' ? chunk : String(chunk));
    return true;
  };
}

/** Keyboard input in memory, read the way Ink reads a raw-mode stdin ('readable' then read()). */
class MemoryKeyboard extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  write(data: string): void {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

const listFilter = (method: MethodName, params: unknown): string | undefined => {
  const spec = method === 'view.update' ? (params as ParamsOf<'view.update'>).spec : method === 'view.subscribe' ? (params as ViewSpec) : undefined;
  return spec?.entity === 'devices' ? (spec.filter ?? '') : undefined;
};

/** The client with the devices view's requests and replies reported as they happen. */
function recordingClient(
  inner: DaemonClient,
  on: { sent(filter: string, at: number): void; replied(filter: string, at: number, outcome: { total: number } | { error: string }): void },
): DaemonClient {
  return {
    hello: inner.hello,
    onViewChanged: (listener) => inner.onViewChanged(listener),
    // Passed on as the real TUI has it: without it the status line falls back to asking every 2 s, a render
    // (and an Ink frame-rate window) that the real TUI does not have.
    ...(inner.onSyncChanged ? { onSyncChanged: (listener: Parameters<NonNullable<DaemonClient['onSyncChanged']>>[0]) => inner.onSyncChanged!(listener) } : {}),
    onClose: (listener) => inner.onClose(listener),
    close: () => inner.close(),
    async request<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
      const filter = listFilter(method, params);
      if (filter === undefined) return inner.request(method, params);
      on.sent(filter, performance.now());
      try {
        const result = await inner.request(method, params);
        on.replied(filter, performance.now(), { total: (result as ViewUpdate).total });
        return result;
      } catch (e) {
        const message = e instanceof Error ? ((e as { userMessage?: string }).userMessage ?? e.message) : String(e);
        on.replied(filter, performance.now(), { error: message });
        throw e;
      }
    },
  };
}

/** Quiet time after the TUI has everything it asked for at start, before the first key. */
const SETTLE_MS = 500;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(ok: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!ok()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Runs the measurement; see the file comment. */
export async function drive(input: DriverInput): Promise<DriverOutput> {
  const React = await import('react');
  const { render } = await import('ink');
  const { App } = await importDist<typeof import('../tui/root.js')>('tui/root.js');
  const { createAppStore } = await importDist<typeof import('../tui/state/store.js')>('tui/state/store.js');
  const { connectDaemon } = await importDist<typeof import('../tui/rpc-client.js')>('tui/rpc-client.js');
  const { incrementalSafeStdout } = await importDist<typeof import('../tui/terminal.js')>('tui/terminal.js');
  const { installFastInkOutput } = await importDist<typeof import('../tui/ink-output.js')>('tui/ink-output.js');
  if (!(await installFastInkOutput())) throw new Error('the fast Ink compositor did not install (Ink version changed?)');

  let shown: ShownState = emptyShown();
  let frames = 0;
  let pending: Pending | null = null;
  const inkRenderMs: number[] = [];
  const check = (at: number) => {
    if (pending?.expected && shows(shown, pending.expected)) pending.done(at);
  };

  const inner = await connectDaemon({ dataDir: input.dataDir, autostart: false, client: 'tui' });
  const client = recordingClient(inner, {
    sent(filter, at) {
      if (pending && filter === pending.step.filter && pending.sentAt === undefined) pending.sentAt = at;
    },
    replied(filter, at, outcome) {
      if (!pending || filter !== pending.step.filter || pending.repliedAt !== undefined) return;
      pending.repliedAt = at;
      pending.expected = 'total' in outcome ? { filter, total: outcome.total } : { filter, error: outcome.error };
      // When the reply changes nothing on screen (same count as the echo frame shows), no frame follows: the
      // screen is right as of now.
      check(at);
    },
  });

  const terminal = new MemoryTerminal(input.columns, input.rows, (chunk) => {
    const at = performance.now();
    if (stripVTControlCharacters(chunk).trim() !== '') frames++;
    shown = scanChunk(shown, chunk, 'Devices');
    if (pending && pending.echoAt === undefined && shown.filterLine?.startsWith(`/${pending.step.filter}    `)) pending.echoAt = at;
    check(at);
  });
  const keyboard = new MemoryKeyboard();
  const store = createAppStore({ client, size: { columns: input.columns, rows: input.rows }, deps: { copy: () => undefined } });
  const app = render(React.createElement(App, { store, client, fixedSize: true }), {
    stdout: incrementalSafeStdout(terminal as unknown as NodeJS.WriteStream),
    stdin: keyboard as unknown as NodeJS.ReadStream,
    stderr: new MemoryTerminal(input.columns, input.rows, () => undefined) as unknown as NodeJS.WriteStream,
    exitOnCtrlC: false,
    incrementalRendering: true,
    patchConsole: false,
    maxFps: input.maxFps ?? 60,
    onRender: ({ renderTime }) => void inkRenderMs.push(renderTime),
  });

  const keys: KeyRecord[] = [];
  const typingWindowUs = { fromUs: 0, toUs: 0 };
  try {
    await until(() => store.getState().lists.devices.loaded && shown.title !== null, 60_000, 'the devices list');
    // The status counts (users, devices, tokens) come from views of their own; the first one of tokens makes the
    // daemon build that index. Typing starts once they are in, so the keys measure filtering, not the TUI's start.
    await until(() => ['users', 'devices', 'tokens'].every((e) => store.getState().counts[e as 'users'] !== undefined), 60_000, 'the overview counts');
    await sleep(SETTLE_MS);
    keyboard.write('/');
    const total = store.getState().lists.devices.total;
    await until(() => shows(shown, { filter: '', total }), 10_000, 'the filter line');
    await sleep(input.gapMs);
    inkRenderMs.length = 0;

    typingWindowUs.fromUs = monotonicUs();
    for (const step of input.steps) {
      const t0 = performance.now();
      const doneAt = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no frame showed the result of filter ${JSON.stringify(step.filter)} within ${input.keyTimeoutMs} ms ` +
                  `(reply: ${JSON.stringify(pending?.expected ?? 'none')}; last filter line seen: ${JSON.stringify(shown.filterLine)}; ` +
                  `last title: ${JSON.stringify(shown.title?.text ?? null)}). If the list screen's wording changed, update bench/frame-watch.ts.`,
              ),
            ),
          input.keyTimeoutMs,
        );
        pending = {
          step,
          t0,
          done: (at) => {
            clearTimeout(timer);
            resolve(at);
          },
        };
        keyboard.write(step.key);
      });
      const p = pending as Pending | null;
      pending = null;
      if (!p || p.repliedAt === undefined || p.sentAt === undefined || !p.expected) throw new Error('internal: a key finished without its reply');
      keys.push({
        filter: step.filter,
        kind: step.kind,
        ms: doneAt - t0,
        echoMs: (p.echoAt ?? doneAt) - t0,
        sentMs: p.sentAt - t0,
        rpcMs: p.repliedAt - p.sentAt,
        afterReplyMs: doneAt - p.repliedAt,
        ...('total' in p.expected ? { total: p.expected.total } : { error: p.expected.error }),
      });
      await sleep(input.gapMs);
    }
    typingWindowUs.toUs = monotonicUs();
  } finally {
    inner.close();
    app.unmount();
  }
  return {
    keys,
    frames,
    inkRenderMs,
    tuiRssMb: process.memoryUsage().rss / 2 ** 20,
    daemonPid: inner.hello.pid,
    typingWindowUs,
  };
}

// The entry (this file is only ever run, never imported for its values).
const [inputFile, outputFile] = process.argv.slice(2);
if (!inputFile || !outputFile) {
  process.stderr.write('usage: tui-driver.ts INPUT.json OUTPUT.json\n');
  process.exit(2);
}
try {
  const output = await drive(JSON.parse(fs.readFileSync(inputFile, 'utf8')) as DriverInput);
  fs.writeFileSync(outputFile, JSON.stringify(output));
  process.exit(0);
} catch (e) {
  process.stderr.write(`tui-driver: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
}
