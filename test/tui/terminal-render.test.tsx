/**
 * Ink 6.8's incremental renderer against a minimal terminal model: without the fix every update lands one
 * line low; with it the screen is what the app drew. If an Ink upgrade fixes its renderer, the first test
 * fails: then remove fixIncrementalFrame.
 */
import { EventEmitter } from 'node:events';
import React, { useState, useEffect } from 'react';
import { describe, expect, it } from 'vitest';
import { incrementalSafeStdout } from '../../tui/terminal.js';

// Ink renders incrementally only outside CI (it reads CI when it loads), and this test is about incremental
// rendering: load it as the TUI does, with CI unset (tui/app.tsx drops it on a terminal).
const ci = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
const { Box, render, Text } = await import('ink');
for (const [key, value] of Object.entries(ci)) if (value !== undefined) process.env[key] = value;

/** Just enough of a VT100 for Ink's output: text, newlines, cursor up/next line/column, erase line. */
class MiniTerminal extends EventEmitter {
  readonly isTTY = true;
  readonly columns = 40;
  readonly rows = 12;
  screen: string[] = Array.from({ length: 12 }, () => '');
  private row = 0;
  private col = 0;

  write = (data: string): boolean => {
    for (let i = 0; i < data.length; i++) {
      const ch = data[i]!;
      if (ch === '\u001b' && data[i + 1] === '[') {
        const m = /^\u001b\[([?\d;]*)([A-Za-z])/.exec(data.slice(i))!;
        const n = Number(m[1]?.replace('?', '') || '1');
        const final = m[2];
        if (final === 'A') this.row = Math.max(0, this.row - n);
        else if (final === 'B') this.row += n;
        else if (final === 'E') [this.row, this.col] = [this.row + n, 0];
        else if (final === 'G') this.col = n - 1;
        else if (final === 'K') this.screen[this.row] = (this.screen[this.row] ?? '').slice(0, this.col);
        i += m[0].length - 1;
      } else if (ch === '\n') {
        [this.row, this.col] = [this.row + 1, 0];
      } else if (ch === '\r') {
        this.col = 0;
      } else {
        const line = (this.screen[this.row] ?? '').padEnd(this.col);
        this.screen[this.row] = line.slice(0, this.col) + ch + line.slice(this.col + 1);
        this.col++;
      }
    }
    return true;
  };

  text(): string[] {
    return this.screen.map((l) => l.trimEnd()).filter((l, i, all) => l !== '' || all.slice(i).some((x) => x !== ''));
  }
}

let step: ((n: number) => void) | undefined;
function Counter() {
  const [n, setN] = useState(0);
  useEffect(() => {
    step = setN;
  }, []);
  return (
    <Box flexDirection="column">
      <Text>top</Text>
      <Text>{`count ${n}`}</Text>
      <Text>{n % 2 ? 'odd' : 'even'}</Text>
      <Text>bottom</Text>
    </Box>
  );
}

/** Waits (bounded) for a condition instead of sleeping a fixed time: this machine may be loaded. */
async function until(ok: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function draw(fixed: boolean): Promise<string[]> {
  const term = new MiniTerminal();
  const stdout = (fixed ? incrementalSafeStdout(term as unknown as NodeJS.WriteStream) : term) as unknown as NodeJS.WriteStream;
  step = undefined;
  const app = render(<Counter />, { stdout, incrementalRendering: true, patchConsole: false, maxFps: 1000 });
  await until(() => step !== undefined && term.text().some((l) => l.includes('count 0')), 'the first frame');
  for (let n = 1; n <= 3; n++) {
    step!(n);
    await until(() => term.text().some((l) => l.includes(`count ${n}`)), `frame ${n}`);
  }
  const shown = term.text();
  app.unmount();
  return shown;
}

describe('incremental rendering', () => {
  it('lands one line low in Ink 6.8 without the fix (the bug the fix is for)', async () => {
    expect(await draw(false)).not.toEqual(['top', 'count 3', 'odd', 'bottom']);
  });

  it('shows exactly the last frame with the fix', async () => {
    expect(await draw(true)).toEqual(['top', 'count 3', 'odd', 'bottom']);
  });
});
