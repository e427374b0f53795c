import React from 'react';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { ViewUpdate } from '../../../src/rpc/contract.js';
import { App } from '../../../tui/root.js';
import { createAppStore } from '../../../tui/state/store.js';
import { fixtureDaemon } from '../helpers/fixture.js';
import type { FakeDaemon } from '../helpers/fake-daemon.js';

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

/** The whole TUI over the fixture daemon, with every frame Ink wrote. */
function renderFixture(d: FakeDaemon) {
  const store = createAppStore({ client: d, size: { columns: 100, rows: 30 }, deps: { copy: () => undefined } });
  const ink = render(<App store={store} client={d} fixedSize />);
  unmount = ink.unmount;
  const waitFor = async (ok: (frame: string) => boolean) => {
    const deadline = Date.now() + 5000;
    while (!ok(ink.lastFrame() ?? '')) {
      if (Date.now() > deadline) throw new Error(`frame never matched; last frame:\n${ink.lastFrame() ?? ''}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { ink, waitFor };
}

describe('useListSubscription', () => {
  it("sends a filter keystroke's view request from the key handler, before any frame is drawn", async () => {
    const d = fixtureDaemon();
    const { ink, waitFor } = renderFixture(d);
    await waitFor((f) => f.includes('home tablet'));
    ink.stdin.write('/');
    await waitFor((f) => f.includes('/ ') && f.includes('3 matches · Enter keeps'));
    const frames = ink.frames.length;
    ink.stdin.write('w');
    // Nothing awaited since the key: the request is already out, and no frame was drawn for it.
    expect(d.sent('view.update').at(-1)?.spec.filter).toBe('w');
    expect(ink.frames.length).toBe(frames);
  });

  it('draws the typed text and its match count in one frame: no frame shows the text with the old count', async () => {
    const d = fixtureDaemon();
    const { ink, waitFor } = renderFixture(d);
    await waitFor((f) => f.includes('home tablet'));
    ink.stdin.write('/');
    await waitFor((f) => f.includes('3 matches · Enter keeps'));
    const from = ink.frames.length;
    ink.stdin.write('work');
    await waitFor((f) => f.includes('/work') && f.includes('1 match · Enter keeps'));
    const drawn = ink.frames.slice(from);
    expect(drawn.some((f) => f.includes('/w') && f.includes('3 matches'))).toBe(false);
  });

  it('shows typed text without its count when the answer is late, then the count when it comes', async () => {
    const d = fixtureDaemon();
    let answer: (() => void) | undefined;
    // The fake's own answer, given only when the test says so.
    const builtin = (params: unknown) => (d as unknown as { builtin(m: string, p: unknown): ViewUpdate }).builtin('view.update', params);
    const { ink, waitFor } = renderFixture(d);
    await waitFor((f) => f.includes('home tablet'));
    ink.stdin.write('/');
    await waitFor((f) => f.includes('3 matches · Enter keeps'));
    d.on('view.update', (params) => new Promise<ViewUpdate>((resolve) => (answer = () => resolve(builtin(params)))));
    ink.stdin.write('w');
    // The echo comes by itself (after FILTER_ECHO_MS), with the previous count still shown.
    await waitFor((f) => f.includes('/w ') && f.includes('3 matches · Enter keeps'));
    expect(answer).toBeDefined();
    answer!();
    await waitFor((f) => f.includes('/w ') && f.includes('2 matches · Enter keeps'));
  });
});
