// Tests render with the compositor the TUI runs with (tui/ink-output.ts), so their frames check it too.
import { installFastInkOutput } from '../../tui/ink-output.js';

if (!(await installFastInkOutput())) throw new Error('the fast Ink compositor did not install: is Ink still 6.8.0?');
