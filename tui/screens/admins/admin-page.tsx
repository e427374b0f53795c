/** An administrator's properties and the hardware tokens they log in with (an Owner attaches them). */
import React from 'react';
import { Text } from 'ink';
import type { Column } from '../../components/table.js';
import { useAppStore } from '../../hooks/use-app-store.js';
import type { DetailItem } from '../../state/detail-items.js';
import { PageFrame, usePageStateLines } from '../shared/page-frame.js';

const COLUMNS: readonly Column<DetailItem>[] = [
  { id: 'serial', title: 'Token serial', width: 24, priority: 1, flex: true, cell: (i) => (i.kind === 'admin-token' ? i.serial : '') },
];

const itemKey = (i: DetailItem) => (i.kind === 'admin-token' ? i.serial : JSON.stringify(i));

/** See the file comment. */
export function AdminPage() {
  const data = useAppStore((s) => s.detail.data);
  const stateLines = usePageStateLines('administrator');
  const denied = useAppStore((s) => s.denied('tokens.attachAdmin'));
  const admin = data?.kind === 'admin' ? data.admin : undefined;
  if (!admin) return <PageFrame header={stateLines} columns={COLUMNS} itemKey={itemKey} empty="" scope="admin" />;
  const header = [
    <Text key="t" wrap="truncate">
      <Text bold>{`Administrator · ${admin.name}`}</Text>
      <Text dimColor>{admin.email ? ` <${admin.email}>` : ''}</Text>
      <Text dimColor>{`  ${admin.admin_id}`}</Text>
    </Text>,
    <Text key="r" wrap="truncate">{`Role ${admin.role} · Status ${admin.status}`}</Text>,
    <Text key="n" dimColor wrap="truncate">
      {denied ? `${denied}.` : 'Hardware tokens attached here allow passcode logins for this administrator.'}
    </Text>,
    <Text key="p"> </Text>,
    <Text key="h" bold>{`Login tokens (${admin.token_serials.length})`}</Text>,
  ];
  return <PageFrame header={header} columns={COLUMNS} itemKey={itemKey} empty="No hardware token." scope="admin" />;
}
