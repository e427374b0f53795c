/** A hardware token's properties: type, serial, origin, its users, and (for an Owner) its administrators. */
import React from 'react';
import { Text } from 'ink';
import { TOKEN_TYPE_LABELS } from '../../../src/domain/enums.js';
import type { Column } from '../../components/table.js';
import { useAppStore } from '../../hooks/use-app-store.js';
import { seesTokenAdmins, type DetailItem } from '../../state/detail-items.js';
import { tokenDeleteRefusal } from '../../state/token-actions-slice.js';
import { resyncRefusal } from '../../state/hub-actions-slice.js';
import { PageFrame, usePageStateLines } from '../shared/page-frame.js';

const COLUMNS: readonly Column<DetailItem>[] = [
  { id: 'kind', title: 'Attached to', width: 14, priority: 1, cell: (i) => (i.kind === 'token-user' ? 'user' : i.kind === 'token-admin' ? 'administrator' : '') },
  { id: 'name', title: 'Name', width: 24, priority: 1, cell: (i) => (i.kind === 'token-user' ? i.username : i.kind === 'token-admin' ? i.name : '') },
  { id: 'id', title: 'Id', width: 22, priority: 2, flex: true, cell: (i) => (i.kind === 'token-user' ? i.userId : i.kind === 'token-admin' ? i.adminId : '') },
];

const itemKey = (i: DetailItem) => (i.kind === 'token-user' ? `u:${i.userId}` : i.kind === 'token-admin' ? `a:${i.adminId}` : JSON.stringify(i));

/** See the file comment. */
export function TokenPage() {
  const data = useAppStore((s) => s.detail.data);
  const stateLines = usePageStateLines('token');
  const role = useAppStore((s) => s.role);
  const hubReason = useAppStore((s) => s.hubReason());
  const token = data?.kind === 'token' ? data.token : undefined;
  if (!token) return <PageFrame header={stateLines} columns={COLUMNS} itemKey={itemKey} empty="" scope="token" />;
  const owner = seesTokenAdmins(role);
  const refusal = tokenDeleteRefusal(token);
  const resyncWhyNot = hubReason ?? resyncRefusal(token);
  const header = [
    <Text key="t" wrap="truncate">
      <Text bold>{`Hardware token · ${token.serial}`}</Text>
      <Text dimColor>{`  ${token.token_id}`}</Text>
    </Text>,
    <Text key="a" wrap="truncate">
      {`Type ${token.type} (${TOKEN_TYPE_LABELS[token.type] ?? token.type}) · Origin ${token.origin === 'vendor' ? 'vendor (purchased)' : 'third-party (imported)'}`}
      {token.totp_step ? ` · TOTP step ${token.totp_step} s` : ''}
    </Text>,
    <Text key="b" wrap="truncate">
      {`Users ${token.usernames.join(', ') || '—'}`}
      {owner ? ` · Administrators ${token.admin_names.join(', ') || '—'}` : ''}
    </Text>,
    <Text key="c" dimColor wrap="truncate">
      {refusal ? `Cannot be deleted: ${refusal}.` : 'Deleting it removes it from every user immediately.'}
    </Text>,
    <Text key="d" dimColor wrap="truncate">
      {resyncWhyNot ? `Resync (three codes): ${resyncWhyNot}.` : 'r resyncs it with three consecutive codes from the token.'}
    </Text>,
    <Text key="e"> </Text>,
    <Text key="f" bold>
      {owner ? 'Users and administrators' : 'Users'}
    </Text>,
  ];
  return <PageFrame header={header} columns={COLUMNS} itemKey={itemKey} empty="Not assigned to anyone: a assigns it to a user." scope="token" />;
}
