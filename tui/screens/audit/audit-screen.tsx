/** 6 The audit trail: every change, who made it, newest first. */
import React from 'react';
import { ListScreen } from '../shared/list-screen.js';
import { AUDIT_COLUMNS } from './columns.js';

/** See the file comment. */
export function AuditScreen() {
  return <ListScreen entity="audit" title="Audit" noun={['event', 'events']} columns={AUDIT_COLUMNS} />;
}
