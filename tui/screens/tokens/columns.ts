/** The hardware tokens table; only an Owner sees the administrators column (as in the reference). */
import { TOKEN_TYPE_LABELS } from '../../../src/domain/enums.js';
import type { TokenRow } from '../../../src/rpc/contract.js';
import type { Column } from '../../components/table.js';

const BASE: readonly Column<TokenRow>[] = [
  { id: 'serial', title: 'Serial', width: 16, priority: 1, cell: (r) => r.serial },
  { id: 'type', title: 'Type', width: 4, priority: 1, cell: (r) => r.type },
  { id: 'kind', title: 'Kind', width: 17, priority: 4, cell: (r) => TOKEN_TYPE_LABELS[r.type] ?? r.type },
  { id: 'origin', title: 'Origin', width: 11, priority: 2, cell: (r) => r.origin },
  { id: 'users', title: 'Users', width: 16, priority: 1, flex: true, cell: (r) => r.usernames.join(', ') },
];

const ADMINS: Column<TokenRow> = { id: 'admins', title: 'Administrators', width: 16, priority: 3, cell: (r) => r.admin_names.join(', ') };

export const TOKEN_COLUMNS_OWNER: readonly Column<TokenRow>[] = [...BASE, ADMINS];
export const TOKEN_COLUMNS: readonly Column<TokenRow>[] = BASE;
