/** A device's properties: what it is, its security state, activation, and the users it is attached to. */
import React from 'react';
import { Text } from 'ink';
import { PHONE_TYPE_LABELS } from '../../../src/domain/enums.js';
import { phoneLabel } from '../../../src/domain/phone.js';
import type { Column } from '../../components/table.js';
import { useAppStore } from '../../hooks/use-app-store.js';
import type { DetailItem } from '../../state/detail-items.js';
import { plural } from '../../state/rows.js';
import { ago, tri } from '../shared/format.js';
import { PageFrame, usePageStateLines } from '../shared/page-frame.js';
import { platformText } from './columns.js';
import { activationRefusal } from '../../state/hub-actions-slice.js';

const COLUMNS: readonly Column<DetailItem>[] = [
  { id: 'user', title: 'User', width: 24, priority: 1, cell: (i) => (i.kind === 'device-user' ? i.username : '') },
  { id: 'alias', title: 'Alias', width: 8, priority: 1, cell: (i) => (i.kind === 'device-user' ? i.alias : '') },
  { id: 'id', title: 'User id', width: 22, priority: 2, flex: true, cell: (i) => (i.kind === 'device-user' ? i.userId : '') },
];

const itemKey = (i: DetailItem) => (i.kind === 'device-user' ? i.userId : JSON.stringify(i));

/** See the file comment. */
export function DevicePage() {
  const data = useAppStore((s) => s.detail.data);
  const stateLines = usePageStateLines('device');
  const hubReason = useAppStore((s) => s.hubReason());
  const device = data?.kind === 'device' ? data.device : undefined;
  if (!device) return <PageFrame header={stateLines} columns={COLUMNS} itemKey={itemKey} empty="" scope="device" />;
  const p = device.phone;
  const activationWhyNot = hubReason ?? activationRefusal(p);
  const flag = (label: string, v: string, bad: 'yes' | 'no') => (
    <Text color={v === bad ? (bad === 'yes' ? 'red' : 'yellow') : undefined}>{`${label} ${v}`}</Text>
  );
  const header = [
    <Text key="t" wrap="truncate">
      <Text bold>{`Device · ${phoneLabel(p)}`}</Text>
      <Text dimColor>{`  ${p.phone_id}`}</Text>
    </Text>,
    device.shared ? (
      <Text key="n" color="yellow" wrap="truncate">
        {`⚠ This device is shared between more than one user (${device.users.length}).`}
      </Text>
    ) : (
      <Text key="n" dimColor wrap="truncate">
        {device.users.length === 1 ? 'Attached to one user: removing it from them deletes the device.' : `Attached to ${plural(device.users.length, 'user')}.`}
      </Text>
    ),
    <Text key="a" wrap="truncate">
      {`Type ${PHONE_TYPE_LABELS[p.type] ?? p.type}`}
      {p.type !== 'landline' ? ` · Platform ${platformText(p)} ${p.os_version}` : ''}
      {p.model ? ` · Model ${p.model}` : ''}
    </Text>,
    <Text key="b" wrap="truncate">
      {`Number ${p.number || '—'}${p.extension ? ` ext. ${p.extension}` : ''} · Name ${p.name || '—'} · Last seen ${p.last_seen ? `${p.last_seen.slice(0, 16).replace('T', ' ')} (${ago(p.last_seen, Date.now())})` : 'never'}`}
    </Text>,
    <Text key="c" wrap="truncate">
      {'Security: '}
      {flag('encrypted', tri(p.encrypted, 'Encrypted', 'Unencrypted'), 'no')}
      {' · '}
      {flag('screen lock', tri(p.screenlock, 'Locked', 'Unlocked'), 'no')}
      {' · '}
      {flag('fingerprint', tri(p.fingerprint, 'Configured', 'Disabled'), 'no')}
      {' · '}
      {flag('tampered', tri(p.tampered, 'Tampered', 'Not Tampered'), 'yes')}
    </Text>,
    <Text key="d" wrap="truncate">
      {`Duo Mobile: ${p.activated ? 'activated' : 'not activated'}`}
      <Text dimColor>{activationWhyNot ? ` · sending an activation: ${activationWhyNot}` : ' · A sends a new activation (QR code)'}</Text>
    </Text>,
    <Text key="e" bold>{`Users (${device.users.length})`}</Text>,
  ];
  return <PageFrame header={header} columns={COLUMNS} itemKey={itemKey} empty="No user: the device is being deleted." scope="device" />;
}
