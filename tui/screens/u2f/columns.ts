/** The U2F/WebAuthn registrations table. */
import type { U2fRow } from '../../../src/rpc/contract.js';
import type { Column } from '../../components/table.js';
import { day } from '../shared/format.js';

export const U2F_COLUMNS: readonly Column<U2fRow>[] = [
  { id: 'user', title: 'User', width: 16, priority: 1, cell: (r) => r.username },
  { id: 'kind', title: 'Kind', width: 8, priority: 1, cell: (r) => (r.kind === 'webauthn' ? 'WebAuthn' : 'U2F') },
  { id: 'name', title: 'Name', width: 20, priority: 1, flex: true, cell: (r) => r.credential_name },
  { id: 'label', title: 'Label', width: 16, priority: 3, cell: (r) => r.label },
  { id: 'added', title: 'Added', width: 10, priority: 2, cell: (r) => day(r.date_added * 1000) },
  { id: 'id', title: 'Registration', width: 20, priority: 5, cell: (r) => r.registration_id },
];
