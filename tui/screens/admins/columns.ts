/** The administrators table. */
import type { AdminRow } from '../../../src/rpc/contract.js';
import type { Column } from '../../components/table.js';

export const ADMIN_COLUMNS: readonly Column<AdminRow>[] = [
  { id: 'name', title: 'Name', width: 20, priority: 1, cell: (r) => r.name },
  { id: 'email', title: 'E-mail', width: 26, priority: 3, flex: true, cell: (r) => r.email },
  { id: 'role', title: 'Role', width: 13, priority: 1, cell: (r) => r.role },
  { id: 'status', title: 'Status', width: 8, priority: 2, cell: (r) => r.status, color: (r) => (r.status === 'Disabled' ? 'red' : undefined) },
  { id: 'tokens', title: 'Login tokens', width: 16, priority: 2, cell: (r) => r.token_serials.join(', ') },
];
