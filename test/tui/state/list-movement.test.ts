import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitPosition, moveCursor, scrollTo, type ListMove } from '../../../tui/state/list-movement.js';

const at = (cursor: number, offset = 0, total = 100, pageSize = 10) => ({ cursor, offset, total, pageSize });

describe('moveCursor', () => {
  it('moves and scrolls the window just enough to show the cursor', () => {
    expect(moveCursor(at(0), { type: 'down' })).toMatchObject({ cursor: 1, offset: 0 });
    expect(moveCursor(at(9), { type: 'down' })).toMatchObject({ cursor: 10, offset: 1 });
    expect(moveCursor(at(10, 5), { type: 'up', count: 6 })).toMatchObject({ cursor: 4, offset: 4 });
  });

  it('stops at both ends', () => {
    expect(moveCursor(at(0), { type: 'up' })).toMatchObject({ cursor: 0, offset: 0 });
    expect(moveCursor(at(99, 90), { type: 'down' })).toMatchObject({ cursor: 99, offset: 90 });
    expect(moveCursor(at(0, 0, 0), { type: 'down' })).toMatchObject({ cursor: 0, offset: 0 });
  });

  it('jumps to the first and last rows', () => {
    expect(moveCursor(at(50, 45), { type: 'top' })).toMatchObject({ cursor: 0, offset: 0 });
    expect(moveCursor(at(5), { type: 'bottom' })).toMatchObject({ cursor: 99, offset: 90 });
  });

  it('turns pages, moving the window with the cursor', () => {
    expect(moveCursor(at(3), { type: 'pageDown' })).toMatchObject({ cursor: 13, offset: 10 });
    expect(moveCursor(at(13, 10), { type: 'pageUp' })).toMatchObject({ cursor: 3, offset: 0 });
    expect(moveCursor(at(95, 90), { type: 'pageDown' })).toMatchObject({ cursor: 99, offset: 90 });
  });

  it('keeps the cursor inside the result and the window for any moves', () => {
    const move = fc.oneof(
      fc.record({ type: fc.constantFrom('down', 'up'), count: fc.integer({ min: 1, max: 30 }) }),
      fc.constantFrom<ListMove>({ type: 'pageDown' }, { type: 'pageUp' }, { type: 'top' }, { type: 'bottom' }),
      fc.record({ type: fc.constant('to'), index: fc.integer({ min: -50, max: 500 }) }),
    ) as fc.Arbitrary<ListMove>;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 40 }), fc.array(move, { maxLength: 30 }), (total, pageSize, moves) => {
        let pos = { cursor: 0, offset: 0, total, pageSize };
        for (const m of moves) {
          pos = moveCursor(pos, m);
          expect(pos.cursor).toBeGreaterThanOrEqual(0);
          expect(pos.cursor).toBeLessThanOrEqual(Math.max(0, total - 1));
          expect(pos.cursor).toBeGreaterThanOrEqual(pos.offset);
          expect(pos.cursor).toBeLessThan(pos.offset + pageSize);
          expect(pos.offset).toBeLessThanOrEqual(Math.max(0, total - pageSize));
        }
      }),
    );
  });
});

describe('fitPosition and scrollTo', () => {
  it('clamps the cursor when the result shrinks', () => {
    expect(fitPosition(at(50, 45, 20))).toMatchObject({ cursor: 19, offset: 10 });
    expect(scrollTo(5, 0, 100, 10)).toBe(0);
    expect(scrollTo(15, 0, 100, 10)).toBe(6);
  });
});
