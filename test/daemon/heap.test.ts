import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../daemon/heap.js';

describe('collectGarbage', () => {
  it('collects an object nothing refers to any more', async () => {
    let garbage: object | undefined = { payload: new Array(1000).fill('x') };
    const ref = new WeakRef(garbage);
    garbage = undefined;
    // A WeakRef's target is kept until the end of the current job: collect in a later one.
    await new Promise((r) => setImmediate(r));
    expect(collectGarbage()).toBe(true);
    expect(ref.deref()).toBeUndefined();
  });
});
