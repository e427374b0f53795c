/**
 * The conflict policy of DESIGN.md ("Sync and conflicts") as pure functions: per-collection three-way
 * merges, the conflict records they produce, the RxDB conflict handler built on them, and the repair of
 * references to deleted users. The parts live in src/conflict-policy/; this module is the one to import.
 */
export { mergeOrder, mergeSet } from './conflict-policy/list-merge.js';
export {
  MERGES,
  mergeAdmins,
  mergeAudit,
  mergeDocument,
  mergePhones,
  mergeTokens,
  mergeU2f,
  mergeUsers,
  type DocState,
  type Merge,
  type MergeResult,
} from './conflict-policy/merge.js';
export {
  CONFLICT_RULES,
  CONFLICT_RULE_LABELS,
  conflictSchema,
  type ConflictRecord,
  type ConflictRule,
  type MergeOptions,
} from './conflict-policy/record.js';
export { createConflictHandler, type ConflictHandlerOptions } from './conflict-policy/handler.js';
export {
  repairDeletedUserReferences,
  type ReferenceInput,
  type ReferenceRepair,
} from './conflict-policy/references.js';
export { canonicalJson, documentsEqual } from './conflict-policy/values.js';
