/**
 * Three-way merges of id lists: as sets (a device's users, a token's users and administrators) and as
 * orders (a user's preferred order of its phones). Both are deterministic and keep what each side did
 * since the common base; where the two sides did incompatible things, the side accepted first by the hub
 * (`theirs`) wins.
 *
 * Set rule: an id in the base stays only if neither side removed it; an id not in the base is in the
 * result if either side added it. Result order: theirs' order, then ours' additions in ours' order.
 *
 * Order rule ("apply ours' moves onto theirs"):
 *  1. Members: the set rule above (a device detached on either side leaves the order; one attached on
 *     either side joins it).
 *  2. What each side moved: the ids outside a longest common subsequence of the base and that side
 *     (ties broken the same way every time), plus the ids that side added. An id both sides moved keeps
 *     theirs' place (the hub accepted it first).
 *  3. Start from theirs' order (members only) without the ids only ours moved, then put each of those back,
 *     in ours' order, where ours put it: first if it is first among the placed ids in ours' order, last if
 *     everything after it in ours' order is placed after it too, otherwise right after the id that precedes
 *     it in ours' order.
 * Aliases (phone1..n) are derived from the order, so they are contiguous whatever the result.
 */

/** The list without repeated ids (first occurrence kept). */
function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}

/** Three-way set merge of `base`, `ours` and `theirs` (see the module comment for the rule). */
export function mergeSet(base: readonly string[], ours: readonly string[], theirs: readonly string[]): string[] {
  const b = new Set(base);
  const o = new Set(ours);
  const t = new Set(theirs);
  const keep = (id: string) => (b.has(id) ? o.has(id) && t.has(id) : o.has(id) || t.has(id));
  return unique([...theirs, ...ours]).filter(keep);
}

/**
 * The ids of one longest common subsequence of `a` and `b` (lists without repetitions). Deterministic:
 * on a tie the walk drops from `a` first.
 */
function commonSubsequence(a: readonly string[], b: readonly string[]): Set<string> {
  const n = a.length;
  const m = b.length;
  const width = m + 1;
  const dp = new Array<number>((n + 1) * width).fill(0);
  const at = (i: number, j: number) => dp[i * width + j] ?? 0;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      dp[i * width + j] = a[i] === b[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const out = new Set<string>();
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.add(a[i] as string);
      i++;
      j++;
    } else if (at(i + 1, j) >= at(i, j + 1)) {
      i++;
    } else {
      j++;
    }
  }
  return out;
}

/** The ids `side` moved or added relative to `base`. */
function movedIds(base: readonly string[], side: readonly string[]): Set<string> {
  const inSide = new Set(side);
  const inBase = new Set(base);
  const stayed = commonSubsequence(
    base.filter((id) => inSide.has(id)),
    side.filter((id) => inBase.has(id)),
  );
  return new Set(side.filter((id) => !stayed.has(id)));
}

/** Three-way merge of a preferred order (see the module comment for the rule). */
export function mergeOrder(base: readonly string[], ours: readonly string[], theirs: readonly string[]): string[] {
  const b = unique(base);
  const o = unique(ours);
  const t = unique(theirs);
  const members = new Set(mergeSet(b, o, t));
  const theirsMoved = movedIds(b, t);
  const oursMoved = movedIds(b, o);
  const toPlace = o.filter((id) => members.has(id) && oursMoved.has(id) && !theirsMoved.has(id));
  const pending = new Set(toPlace);
  const result = t.filter((id) => members.has(id) && !pending.has(id));

  for (const id of toPlace) {
    pending.delete(id);
    const at = o.indexOf(id);
    const placed = new Set(result);
    const after = o.slice(at + 1).filter((x) => placed.has(x));
    if (after.length === 0) {
      // Nothing ours put after it is placed yet: ours meant it to come after all of them.
      result.push(id);
      continue;
    }
    const before = o.slice(0, at).filter((x) => placed.has(x));
    const predecessor = before[before.length - 1];
    if (predecessor === undefined) result.unshift(id);
    else result.splice(result.indexOf(predecessor) + 1, 0, id);
  }
  return result;
}
