import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Chalk } from 'chalk';
import { INK_GET, INK_VERSION, compose, inkOutputClass, installFastInkOutput } from '../../tui/ink-output.js';

const chalk = new Chalk({ level: 3 });
const { version, Output } = await inkOutputClass();
const current = Output.prototype.get as typeof Output.prototype.get & { [INK_GET]?: typeof Output.prototype.get };
/** Ink's own compositor, whether or not the fast one is installed in this process. */
const inkGet = current[INK_GET] ?? current;

// Pieces of lines: plain and styled text (what <Text> makes), and what takes Ink's own tokenizer instead:
// wide characters, emoji, combining marks, links, compound and non-SGR escape codes.
const word = fc.constantFrom('a', 'iPhone 15', '  ', 'x-1', '+1555', '●', '›', '…', '·', 'é', 'Ωmega', '─');
const piece = fc.oneof(
  { weight: 6, arbitrary: word },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('red', 'cyan', 'yellow', 'bold', 'dim', 'inverse', 'bgBlue', 'underline'), word).map(([style, w]) => (chalk as unknown as Record<string, (s: string) => string>)[style]!(w)) },
  { weight: 1, arbitrary: fc.tuple(word, word).map(([a, b]) => chalk.red(`${a}${chalk.bold(b)}`)) },
  { weight: 1, arbitrary: fc.constantFrom('中文', '😀', 'e\u0301', '\u001b]8;;https://example.org\u0007link\u001b]8;;\u0007', '\u001b[1;31mcompound\u001b[0m', '\u001b[2Kx', '\u001b[38;5;208mamber\u001b[39m', 'a\u200db', 'ﾞ') },
);
const line = fc.array(piece, { maxLength: 5 }).map((parts) => parts.join(''));
const text = fc.array(line, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n'));
const transformers = fc.constantFrom<((s: string, i: number) => string)[]>([], [(s) => chalk.inverse(s)], [(s, i) => (i === 0 ? chalk.dim(s) : s)]);

type Op =
  | { type: 'write'; x: number; y: number; text: string; transformers: ((s: string, i: number) => string)[] }
  | { type: 'clip'; x1?: number; x2?: number; y1?: number; y2?: number }
  | { type: 'unclip' };
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ type: fc.constant('write' as const), x: fc.integer({ min: -3, max: 24 }), y: fc.integer({ min: -2, max: 8 }), text, transformers }) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.record({ type: fc.constant('clip' as const), x1: fc.integer({ min: 0, max: 10 }), x2: fc.integer({ min: 5, max: 25 }), y1: fc.integer({ min: 0, max: 3 }), y2: fc.integer({ min: 2, max: 8 }) }),
      fc.record({ type: fc.constant('clip' as const), y1: fc.integer({ min: 0, max: 3 }), y2: fc.integer({ min: 2, max: 8 }) }),
    ),
  },
  { weight: 1, arbitrary: fc.constant({ type: 'unclip' as const }) },
);

function outputOf(width: number, height: number, ops: Op[]) {
  const output = new Output({ width, height });
  for (const o of ops) {
    if (o.type === 'write') output.write(o.x, o.y, o.text, { transformers: o.transformers });
    else if (o.type === 'clip') output.clip({ x1: o.x1, x2: o.x2, y1: o.y1, y2: o.y2 });
    else output.unclip();
  }
  return output;
}

describe('the fast Ink compositor', () => {
  it('mirrors the Ink version installed', () => {
    expect(version).toBe(INK_VERSION);
  });

  it('composes the same frame as Ink, byte for byte, for any writes, styles, clips and characters', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 12 }), (width, height, ops) => {
        const output = outputOf(width, height, ops);
        expect(compose(output)).toEqual(inkGet.call(output));
        // Again: the second time the lines come from the caches.
        expect(compose(output)).toEqual(inkGet.call(output));
      }),
      { numRuns: 3000 },
    );
  });

  it('is what Ink renders with once installed, and installing twice keeps Ink’s own compositor reachable', async () => {
    expect(await installFastInkOutput()).toBe(true);
    expect(await installFastInkOutput()).toBe(true);
    const installed = Output.prototype.get as typeof current;
    expect(installed[INK_GET]).toBe(inkGet);
    const output = outputOf(12, 2, [{ type: 'write', x: 1, y: 0, text: `${chalk.cyan('shared')} ●`, transformers: [] }]);
    expect((output as unknown as { get(): unknown }).get()).toEqual(inkGet.call(output));
  });
});
