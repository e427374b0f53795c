/** 5 Administrators with their roles and login tokens. */
import React from 'react';
import { ListScreen } from '../shared/list-screen.js';
import { ADMIN_COLUMNS } from './columns.js';

/** See the file comment. */
export function AdminsScreen() {
  return <ListScreen entity="admins" title="Administrators" noun={['administrator', 'administrators']} columns={ADMIN_COLUMNS} />;
}
