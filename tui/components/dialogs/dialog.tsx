/** The open dialog, if any (the filter line is drawn by the list itself). */
import React from 'react';
import { useAppStore } from '../../hooks/use-app-store.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { FormDialog } from './form-dialog.js';
import { HelpOverlay } from './help-overlay.js';
import { ImportDialog } from './import-dialog.js';
import { NoticeDialog } from './notice-dialog.js';
import { PaletteDialog } from './palette-dialog.js';
import { PickerDialog } from './picker-dialog.js';
import { RequestDialog } from './request-dialog.js';

/** True when a dialog covers the screen (the filter line does not). */
export function coversScreen(kind: string | undefined): boolean {
  return kind !== undefined && kind !== 'filter';
}

/** See the file comment. */
export function Dialog() {
  const modal = useAppStore((s) => s.modal);
  if (!modal) return null;
  switch (modal.kind) {
    case 'help':
      return <HelpOverlay modal={modal} />;
    case 'palette':
      return <PaletteDialog modal={modal} />;
    case 'confirm':
      return <ConfirmDialog modal={modal} />;
    case 'form':
      return <FormDialog modal={modal} />;
    case 'picker':
      return <PickerDialog key={`${modal.entity}:${modal.title}`} modal={modal} />;
    case 'notice':
      return <NoticeDialog modal={modal} />;
    case 'request':
      return <RequestDialog modal={modal} />;
    case 'import':
      return <ImportDialog modal={modal} />;
    case 'activation':
      // Drawn over the whole frame by the root (the QR code needs every line).
      return null;
    case 'filter':
      return null;
  }
}
