/**
 * The RxDB conflict handler of a collection: `isEqual` compares replicated state only, `resolve` is the
 * collection's three-way merge of (new fork state, assumed master = base, real master). The records of
 * each resolution go to `onConflicts`, for the daemon to store and show.
 */
import type { RxConflictHandler } from 'rxdb';
import type { CollectionName, DocTypes } from '../domain/schemas.js';
import { mergeDocument } from './merge.js';
import type { ConflictRecord, MergeOptions } from './record.js';
import { documentsEqual } from './values.js';

export interface ConflictHandlerOptions {
  /** The administrator of this replica, written into each record. */
  adminId?: string;
  /** The clock for the records' time; default: the documents' own latest time (keeps resolve pure). */
  now?: () => number;
}

/** An RxDB conflict handler for `collection` that resolves by the conflict policy. */
export function createConflictHandler<K extends CollectionName>(
  collection: K,
  onConflicts?: (records: ConflictRecord[]) => void,
  options: ConflictHandlerOptions = {},
): RxConflictHandler<DocTypes[K]> {
  return {
    isEqual: (a, b) => documentsEqual(a, b),
    resolve: async (input) => {
      const mergeOptions: MergeOptions = {};
      if (options.adminId !== undefined) mergeOptions.adminId = options.adminId;
      if (options.now !== undefined) mergeOptions.now = options.now();
      const { merged, conflicts } = mergeDocument(
        collection,
        input.assumedMasterState,
        input.newDocumentState,
        input.realMasterState,
        mergeOptions,
      );
      if (conflicts.length > 0) onConflicts?.(conflicts);
      return merged;
    },
  };
}
