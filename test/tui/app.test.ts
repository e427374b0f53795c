import { afterEach, describe, expect, it } from 'vitest';
import { runTui } from '../../tui/app.js';

const original = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
afterEach(() => {
  if (original) Object.defineProperty(process.stdout, 'isTTY', original);
  else delete (process.stdout as { isTTY?: boolean }).isTTY;
});

describe('runTui', () => {
  it('refuses to start without a terminal, in one line pointing to the CLI subcommands', async () => {
    Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true });
    await expect(runTui({ dataDir: '/nonexistent' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      userMessage: 'the TUI needs a terminal; for scripts use the CLI subcommands (see factordesk --help)',
    });
  });
});
