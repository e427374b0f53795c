/** The users table: username, name, e-mail, status and how many devices, tokens and U2F keys each has. */
import type { UserRow } from '../../../src/rpc/contract.js';
import type { Column } from '../../components/table.js';

/** Disabled and locked-out users stand out. */
export function statusColor(status: string): string | undefined {
  return status === 'disabled' || status === 'locked out' ? 'red' : status === 'bypass' ? 'yellow' : undefined;
}

export const USER_COLUMNS: readonly Column<UserRow>[] = [
  { id: 'username', title: 'Username', width: 16, priority: 1, cell: (r) => r.username },
  { id: 'realname', title: 'Name', width: 18, priority: 2, flex: true, cell: (r) => r.realname },
  { id: 'email', title: 'E-mail', width: 24, priority: 4, cell: (r) => r.email },
  { id: 'status', title: 'Status', width: 10, priority: 1, cell: (r) => r.status, color: (r) => statusColor(r.status) },
  { id: 'phones', title: 'Devices', width: 7, priority: 2, align: 'right', cell: (r) => String(r.phone_count) },
  { id: 'tokens', title: 'Tokens', width: 6, priority: 3, align: 'right', cell: (r) => String(r.token_count) },
  { id: 'u2f', title: 'U2F', width: 4, priority: 3, align: 'right', cell: (r) => String(r.u2f_count) },
];
