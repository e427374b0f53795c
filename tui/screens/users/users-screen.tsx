/** 2 Users: each user's status and how many devices, tokens and U2F keys they have. */
import React from 'react';
import { ListScreen } from '../shared/list-screen.js';
import { USER_COLUMNS } from './columns.js';

/** See the file comment. */
export function UsersScreen() {
  return <ListScreen entity="users" title="Users" noun={['user', 'users']} columns={USER_COLUMNS} dimRow={(r) => r.status === 'disabled'} />;
}
