/**
 * The terminal around the Ink frame: the alternate screen (entered on start, left on exit, crash, Ctrl+C and
 * signals, exactly once) and the clipboard through OSC 52, which reaches the local terminal even over SSH.
 */

export const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H';
export const LEAVE_ALT_SCREEN = '\u001b[?1049l';
const SHOW_CURSOR = '\u001b[?25h';

export interface Writable {
  write(chunk: string): unknown;
}

/** Switches to the alternate screen; `restore` switches back (and shows the cursor) once, however often called. */
export function enterAltScreen(out: Writable): { restore(): void } {
  out.write(ENTER_ALT_SCREEN);
  let restored = false;
  return {
    restore() {
      if (restored) return;
      restored = true;
      out.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
    },
  };
}

/** The OSC 52 sequence that puts `text` on the clipboard. */
export function osc52(text: string): string {
  return `\u001b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
}

/** Copies text to the clipboard of the terminal `out` is drawn on. */
export function copyToClipboard(out: Writable, text: string): void {
  out.write(osc52(text));
}

const CURSOR_UP_AT_START = /^\u001b\[(\d+)A/;

/**
 * Fixes Ink 6.8's incremental renderer for frames that end with a newline (every frame shorter than the
 * terminal): it moves the cursor up one line too few before rewriting changed lines, so each update lands
 * one line low. Its incremental frame writes start with that cursor-up (its first frame, a shrinking frame
 * and full redraws start otherwise); this adds the missing line. Remove once Ink's log-update is fixed.
 */
export function fixIncrementalFrame(chunk: string): string {
  return chunk.replace(CURSOR_UP_AT_START, (_, n: string) => `\u001b[${Number(n) + 1}A`);
}

/** The stream Ink renders to: `out` with frame writes passed through fixIncrementalFrame. */
export function incrementalSafeStdout<T extends NodeJS.WriteStream>(out: T): T {
  const write = (chunk: unknown, ...rest: unknown[]) =>
    (out.write as (...a: unknown[]) => boolean)(typeof chunk === 'string' ? fixIncrementalFrame(chunk) : chunk, ...rest);
  return new Proxy(out, {
    get(target, prop) {
      if (prop === 'write') return write;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
