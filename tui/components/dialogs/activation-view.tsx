/**
 * A phone's activation over the whole frame: the QR code for Duo Mobile (dark modules on a light background,
 * whatever the terminal's colours) beside or above the link, when it expires and where it was mailed. A terminal
 * too small for the code is told the size it needs; the link is always there.
 */
import React from 'react';
import { Box, Text } from 'ink';
import type { Modal } from '../../state/types.js';
import { useAppStore } from '../../hooks/use-app-store.js';
import { activationLayout, frameHeight } from '../../layout.js';
import { dateTime } from '../../screens/shared/format.js';

/** See the file comment. */
export function ActivationView({ modal }: { modal: Extract<Modal, { kind: 'activation' }> }) {
  const size = useAppStore((s) => s.size);
  const qr = { width: Math.max(0, ...modal.qr.map((l) => Array.from(l).length)), height: modal.qr.length };
  const layout = activationLayout(size, qr);
  const { activation } = modal;
  // Under the code there are only a few lines: the title, the link and the keys.
  if (layout.kind === 'stacked') {
    return (
      <Box flexDirection="column" width={size.columns} height={frameHeight(size)} overflow="hidden">
        <QrCode lines={modal.qr} />
        <Text bold wrap="truncate">{`Duo Mobile activation · ${modal.device} · y copy the link · Esc close`}</Text>
        <Text color="cyan" wrap="wrap">
          {activation.otpauth_uri}
        </Text>
      </Box>
    );
  }
  const text = (
    <Box flexDirection="column" flexShrink={1}>
      <Text bold wrap="truncate">{`Duo Mobile activation · ${modal.device}`}</Text>
      <Text> </Text>
      {layout.kind === 'too-small' ? (
        <Text color="yellow" wrap="wrap">
          {`The QR code needs a terminal of ${layout.needs.columns}×${layout.needs.rows} (this one is ${size.columns}×${size.rows}): widen it, or open the link on the phone.`}
        </Text>
      ) : (
        <Text wrap="wrap">Scan the code with Duo Mobile, or open the link on the phone:</Text>
      )}
      <Text> </Text>
      <Text color="cyan" wrap="wrap">
        {activation.otpauth_uri}
      </Text>
      <Text> </Text>
      <Text dimColor wrap="wrap">{`Valid until ${dateTime(activation.expires)} UTC${activation.emailed_to ? ` · mailed to ${activation.emailed_to}` : ''}`}</Text>
      <Text dimColor wrap="truncate">
        y copy the link · Esc close
      </Text>
    </Box>
  );
  return (
    <Box flexDirection="row" width={size.columns} height={frameHeight(size)} overflow="hidden">
      {layout.kind === 'side' ? (
        <>
          <QrCode lines={modal.qr} />
          <Box width={2} flexShrink={0} />
        </>
      ) : null}
      {text}
    </Box>
  );
}

/** The code's lines, black on white. */
function QrCode({ lines }: { lines: readonly string[] }) {
  return (
    <Box flexDirection="column" flexShrink={0}>
      {lines.map((line, i) => (
        <Text key={i} color="black" backgroundColor="white" wrap="truncate">
          {line}
        </Text>
      ))}
    </Box>
  );
}
