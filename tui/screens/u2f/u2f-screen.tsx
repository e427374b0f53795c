/** 4 U2F/WebAuthn registrations (users enrol them; administrators can only delete them). */
import React from 'react';
import { ListScreen } from '../shared/list-screen.js';
import { U2F_COLUMNS } from './columns.js';

/** See the file comment. */
export function U2fScreen() {
  return <ListScreen entity="u2f" title="U2F/WebAuthn" noun={['registration', 'registrations']} columns={U2F_COLUMNS} />;
}
