#!/usr/bin/env node
/** The `factordesk` executable: runs the CLI (or, with no command on a terminal, the TUI) and exits with its code. */
import { runCli } from './program.js';

const code = await runCli(process.argv);
process.exit(code);
