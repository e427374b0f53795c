/**
 * A picker over a daemon view: type to search (the filter language works too), ↑/↓ to choose, Enter to pick.
 * It has its own windowed subscription, so picking a user among 100k sends only the visible rows.
 */
import React from 'react';
import { Text } from 'ink';
import type { EntityName, RowTypes } from '../../../src/rpc/contract.js';
import { useAppStore, useStoreApi } from '../../hooks/use-app-store.js';
import { useViewSubscription } from '../../hooks/use-view-subscription.js';
import { pickerRows } from '../../layout.js';
import { plural, rowId } from '../../state/rows.js';
import type { Modal } from '../../state/types.js';
import { Table, type Column } from '../table.js';
import { DEVICE_COLUMNS } from '../../screens/devices/columns.js';
import { USER_COLUMNS } from '../../screens/users/columns.js';
import { TOKEN_COLUMNS } from '../../screens/tokens/columns.js';
import { U2F_COLUMNS } from '../../screens/u2f/columns.js';
import { ADMIN_COLUMNS } from '../../screens/admins/columns.js';
import { AUDIT_COLUMNS } from '../../screens/audit/columns.js';
import { DialogFrame, dialogWidth } from './dialog-frame.js';

const COLUMNS: { [E in EntityName]: readonly Column<RowTypes[E]>[] } = {
  devices: DEVICE_COLUMNS,
  users: USER_COLUMNS,
  tokens: TOKEN_COLUMNS,
  u2f: U2F_COLUMNS,
  admins: ADMIN_COLUMNS,
  audit: AUDIT_COLUMNS,
};

/** The filter a picker sends: its fixed part, then what was typed. */
export function pickerFilter(modal: Extract<Modal, { kind: 'picker' }>): string {
  return `${modal.baseFilter} ${modal.query}`.trim();
}

/** See the file comment. */
export function PickerDialog({ modal }: { modal: Extract<Modal, { kind: 'picker' }> }) {
  const store = useStoreApi();
  const size = useAppStore((s) => s.size);
  const rows = pickerRows(size);
  useViewSubscription(
    { entity: modal.entity, filter: pickerFilter(modal), window: { offset: modal.view.offset, limit: rows } },
    {
      onUpdate: (u) => store.getState().applyPickerUpdate(u),
      onError: (e) => store.getState().pickerRefused(e),
    },
  );
  const v = modal.view;
  const columns = COLUMNS[modal.entity] as readonly Column<RowTypes[EntityName]>[];
  return (
    <DialogFrame title={modal.title} footer="Enter choose  ·  ↑/↓ move  ·  type to search  ·  Esc cancel">
      <Text color="yellow" wrap="truncate">
        {modal.notice ?? ' '}
      </Text>
      <Text wrap="truncate">
        <Text color="cyan">Search: </Text>
        <Text>{modal.query}</Text>
        <Text inverse> </Text>
        <Text dimColor>{v.error ? '' : `   ${v.loaded ? plural(v.total, 'match', 'matches') : '…'}`}</Text>
        <Text color="red">{v.error ? `   ${v.error}` : ''}</Text>
      </Text>
      <Table
        columns={columns}
        rows={v.rows}
        rowKey={(r) => rowId(modal.entity, r)}
        cursor={v.cursor - v.rowsOffset}
        width={dialogWidth(size.columns) - 4}
        height={rows}
        empty={<Text dimColor>{v.loaded ? 'Nothing matches.' : 'Loading…'}</Text>}
      />
    </DialogFrame>
  );
}
