/** 3 Hardware tokens; an Owner also sees the administrators attached to each. */
import React from 'react';
import { useAppStore } from '../../hooks/use-app-store.js';
import { seesTokenAdmins } from '../../state/detail-items.js';
import { ListScreen } from '../shared/list-screen.js';
import { TOKEN_COLUMNS, TOKEN_COLUMNS_OWNER } from './columns.js';

/** See the file comment. */
export function TokensScreen() {
  const owner = useAppStore((s) => seesTokenAdmins(s.role));
  return <ListScreen entity="tokens" title="Hardware tokens" noun={['token', 'tokens']} columns={owner ? TOKEN_COLUMNS_OWNER : TOKEN_COLUMNS} />;
}
