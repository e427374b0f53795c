/** How each figure is taken, in sentences: written into results.json so that a reader of the numbers has the method. */
import { PHRASES } from './keystrokes.js';

/** The method, for the run's terminal size and pause between keys. */
export function methodText(terminal: { columns: number; rows: number }, gapMs: number): string[] {
  const phrases = PHRASES.map((p) => `"${p}"`).join(', ');
  return [
    'All processes are the compiled build (dist/, rebuilt when older than the sources) in a temporary data ' +
      'directory and runtime directory, NODE_ENV=production, FACTORDESK_NO_LOCAL_HUB=1 (no hub); the data set is ' +
      'loaded once with `factordesk demo load --size SIZE` (the deterministic demo generator).',
    '1. The TUI (tui/root.tsx App, compiled, React production build) runs in its own process, rendered by Ink with ' +
      `start.tsx's options (incremental rendering, at most 60 frames/s) into an in-memory ${terminal.columns}×${terminal.rows} ` +
      'terminal, connected to the running daemon over its socket. Once the devices list and the status counts are ' +
      `shown (and 0.5 s more), it opens the devices filter and types each of ${phrases} a key at a time, erasing ` +
      'each with Backspace. Per key: the time from writing the key to the terminal receiving the frame that shows ' +
      `the new match count (or the refusal of an incomplete filter such as "platform:"); the next key follows ${gapMs} ms ` +
      'after that frame.',
    "2. fzf (Debian's package; its version is in details.fzf) runs `fzf --filter QUERY --exact -i` once per " +
      'keystroke over the same devices exported as text lines (one per device, tab-separated: name, number, ' +
      "extension, platform, os, version, model, type, id, usernames: the fields the daemon's free text searches). " +
      'Only keys whose filter is free text are compared (fzf has no key:value terms); with --exact and -i fzf reads ' +
      'them as the daemon does (words, case-insensitive substrings, all required), and the match counts are checked ' +
      "equal. fzf's time includes starting the process and reading the lines, as `--filter` does on every call; " +
      'ours is the keystroke-to-frame time of measurement 1.',
    '3. With the data loaded and the daemon stopped: the time of `factordesk daemon start` (it spawns the daemon and ' +
      'waits until it answers) plus connecting and the first `view.query` of the devices; VmRSS of the daemon right ' +
      'after. The median of the runs is reported. When `daemon start` gives up on the handshake (the CLI waits 5 s ' +
      'for an answer) the bench keeps waiting for the first view and records the failure in details.cold_start.',
  ];
}
