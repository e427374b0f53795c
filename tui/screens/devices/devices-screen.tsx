/** 1 Devices: phones, tablets and landlines with their security state and users. */
import React from 'react';
import { ListScreen } from '../shared/list-screen.js';
import { DEVICE_COLUMNS } from './columns.js';

/** See the file comment. */
export function DevicesScreen() {
  return <ListScreen entity="devices" title="Devices" noun={['device', 'devices']} columns={DEVICE_COLUMNS} />;
}
