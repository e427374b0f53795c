/**
 * A user's properties: status, then the user's devices in order (aliases phone1, phone2, …; J/K moves one),
 * hardware tokens and U2F/WebAuthn registrations, all in one list the cursor moves over.
 */
import React from 'react';
import { Text } from 'ink';
import { PHONE_TYPE_LABELS, TOKEN_TYPE_LABELS } from '../../../src/domain/enums.js';
import { phoneLabel } from '../../../src/domain/phone.js';
import type { Column } from '../../components/table.js';
import { useAppStore } from '../../hooks/use-app-store.js';
import type { DetailItem } from '../../state/detail-items.js';
import { plural } from '../../state/rows.js';
import { day } from '../shared/format.js';
import { PageFrame, usePageStateLines } from '../shared/page-frame.js';
import { platformText } from '../devices/columns.js';
import { statusColor } from './columns.js';

function what(i: DetailItem): [alias: string, name: string, kind: string, detail: string, extra: string] {
  switch (i.kind) {
    case 'user-phone':
      return [
        i.alias,
        phoneLabel(i.phone),
        PHONE_TYPE_LABELS[i.phone.type] ?? i.phone.type,
        `${platformText(i.phone)} ${i.phone.os_version}`.trim(),
        i.phone.users.length > 1 ? 'shared' : '',
      ];
    case 'user-token':
      return ['token', i.token.serial, i.token.type, TOKEN_TYPE_LABELS[i.token.type] ?? '', i.token.origin];
    case 'user-u2f':
      return [i.reg.kind === 'webauthn' ? 'WebAuthn' : 'U2F', i.reg.credential_name || i.reg.registration_id, i.reg.label, `added ${day(i.reg.date_added * 1000)}`, ''];
    default:
      return ['', '', '', '', ''];
  }
}

const COLUMNS: readonly Column<DetailItem>[] = [
  { id: 'alias', title: 'Alias', width: 8, priority: 1, cell: (i) => what(i)[0], color: (i) => (i.kind === 'user-phone' ? 'cyan' : undefined) },
  { id: 'name', title: 'Device / token / key', width: 22, priority: 1, flex: true, cell: (i) => what(i)[1] },
  { id: 'kind', title: 'Type', width: 10, priority: 2, cell: (i) => what(i)[2] },
  { id: 'detail', title: 'Platform / detail', width: 20, priority: 2, cell: (i) => what(i)[3] },
  { id: 'extra', title: '', width: 11, priority: 3, cell: (i) => what(i)[4], color: () => 'cyan' },
];

const itemKey = (i: DetailItem): string => {
  switch (i.kind) {
    case 'user-phone':
      return `p:${i.phone.phone_id}`;
    case 'user-token':
      return `t:${i.token.token_id}`;
    case 'user-u2f':
      return `u:${i.reg.registration_id}`;
    default:
      return JSON.stringify(i);
  }
};

/** See the file comment. */
export function UserPage() {
  const data = useAppStore((s) => s.detail.data);
  const stateLines = usePageStateLines('user');
  const detail = data?.kind === 'user' ? data.user : undefined;
  if (!detail) return <PageFrame header={stateLines} columns={COLUMNS} itemKey={itemKey} empty="" scope="user" />;
  const u = detail.user;
  const header = [
    <Text key="t" wrap="truncate">
      <Text bold>{`User · ${u.username}`}</Text>
      <Text>{u.realname ? ` · ${u.realname}` : ''}</Text>
      <Text dimColor>{u.email ? ` <${u.email}>` : ''}</Text>
      <Text dimColor>{`  ${u.user_id}`}</Text>
    </Text>,
    <Text key="s" wrap="truncate">
      {'Status '}
      <Text color={statusColor(u.status)} bold>
        {u.status}
      </Text>
      <Text dimColor>{u.status === 'disabled' ? ' · cannot authenticate until enabled (d)' : ''}</Text>
    </Text>,
    <Text key="c" wrap="truncate">
      {`${plural(detail.phones.length, 'device')} · ${plural(detail.tokens.length, 'hardware token')} · ${plural(detail.u2f.length, 'U2F/WebAuthn key')}`}
    </Text>,
    <Text key="h" dimColor wrap="truncate">
      {detail.phones.length > 1
        ? 'Automatic push and calls go to phone1 first: J/K (or Shift+↑/↓) moves the selected device.'
        : 'Automatic push and calls go to phone1.'}
    </Text>,
  ];
  return <PageFrame header={header} columns={COLUMNS} itemKey={itemKey} empty="No devices, tokens or U2F keys: n adds a device, t assigns a token." scope="user" />;
}
