/** The audit trail table, newest first by default. */
import type { AuditRow } from '../../../src/rpc/contract.js';
import type { Column } from '../../components/table.js';
import { dateTime } from '../shared/format.js';

export const AUDIT_COLUMNS: readonly Column<AuditRow>[] = [
  { id: 'time', title: 'Time (UTC)', width: 16, priority: 1, cell: (r) => dateTime(r.time) },
  { id: 'admin', title: 'Administrator', width: 14, priority: 2, cell: (r) => r.admin_name },
  { id: 'action', title: 'Action', width: 14, priority: 1, cell: (r) => r.action },
  { id: 'summary', title: 'Summary', width: 20, priority: 1, flex: true, cell: (r) => r.summary },
];
