import { describe, expect, it } from 'vitest';
import { enterAltScreen, fixIncrementalFrame, LEAVE_ALT_SCREEN, osc52 } from '../../tui/terminal.js';

describe('terminal', () => {
  it('enters the alternate screen and leaves it exactly once', () => {
    const out: string[] = [];
    const t = enterAltScreen({ write: (s: string) => out.push(s) });
    expect(out[0]).toContain('\u001b[?1049h');
    t.restore();
    t.restore();
    expect(out.filter((s) => s.includes(LEAVE_ALT_SCREEN))).toHaveLength(1);
  });

  it("moves Ink's incremental frames up the one missing line, leaving other writes alone", () => {
    expect(fixIncrementalFrame('\u001b[38A\u001b[Ehello')).toBe('\u001b[39A\u001b[Ehello');
    expect(fixIncrementalFrame('top\ncount\n')).toBe('top\ncount\n');
    expect(fixIncrementalFrame('\u001b[2K\u001b[1A\u001b[2K')).toBe('\u001b[2K\u001b[1A\u001b[2K');
  });

  it('writes the clipboard as OSC 52 with base64 text', () => {
    expect(osc52('factordesk://devices')).toBe('\u001b]52;c;ZmFjdG9yZGVzazovL2RldmljZXM=\u0007');
  });
});
