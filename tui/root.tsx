/**
 * The app's root component: the tab bar, the body (the current screen or the page opened over it, with any
 * dialog drawn over it), the message line and the status line, in a frame of fixed height that follows the
 * terminal's size (an activation's QR code takes the whole frame). One input handler dispatches every key through
 * the keymap; the daemon's sync status is followed for the status line.
 */
import React, { useEffect } from 'react';
import { Box, Text, useApp } from 'ink';
import { ActivationView } from './components/dialogs/activation-view.js';
import { Dialog, coversScreen } from './components/dialogs/dialog.js';
import { MessageLine } from './components/message-line.js';
import { StatusLine } from './components/status-line.js';
import { TabBar } from './components/tab-bar.js';
import { AppContext, useAppStore } from './hooks/use-app-store.js';
import { useDetailWatch } from './hooks/use-detail-watch.js';
import { useKeymap } from './hooks/use-keymap.js';
import { useOverview } from './hooks/use-overview.js';
import { useSyncWatch } from './hooks/use-sync-watch.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { bodyHeight, frameHeight, MIN_SIZE, tooSmall } from './layout.js';
import type { DaemonClient } from './rpc-client-types.js';
import { AdminPage } from './screens/admins/admin-page.js';
import { AdminsScreen } from './screens/admins/admins-screen.js';
import { AuditScreen } from './screens/audit/audit-screen.js';
import { ConflictsScreen } from './screens/conflicts/conflicts-screen.js';
import { DevicePage } from './screens/devices/device-page.js';
import { DevicesScreen } from './screens/devices/devices-screen.js';
import { SyncScreen } from './screens/sync/sync-screen.js';
import { TokenPage } from './screens/tokens/token-page.js';
import { TokensScreen } from './screens/tokens/tokens-screen.js';
import { U2fScreen } from './screens/u2f/u2f-screen.js';
import { UserPage } from './screens/users/user-page.js';
import { UsersScreen } from './screens/users/users-screen.js';
import type { AppStore } from './state/store.js';
import { pageKey, type Page, type ScreenId } from './state/types.js';

const SCREEN_VIEWS: Record<ScreenId, () => React.JSX.Element> = {
  devices: DevicesScreen,
  users: UsersScreen,
  tokens: TokensScreen,
  u2f: U2fScreen,
  admins: AdminsScreen,
  audit: AuditScreen,
  conflicts: ConflictsScreen,
  sync: SyncScreen,
};

function PageView({ page }: { page: Page }) {
  useDetailWatch(page);
  switch (page.kind) {
    case 'device':
      return <DevicePage />;
    case 'user':
      return <UserPage />;
    case 'token':
      return <TokenPage />;
    case 'admin':
      return <AdminPage />;
  }
}

function Body() {
  const screen = useAppStore((s) => s.screen);
  const page = useAppStore((s) => s.topPage());
  const covered = useAppStore((s) => coversScreen(s.modal?.kind));
  const size = useAppStore((s) => s.size);
  const Screen = SCREEN_VIEWS[screen];
  return (
    <Box flexDirection="column" height={bodyHeight(size)} overflow="hidden">
      {/* Kept mounted under a dialog, so its subscription and cursor survive. */}
      <Box display={covered ? 'none' : 'flex'} flexDirection="column">
        {page ? <PageView key={pageKey(page)} page={page} /> : <Screen key={screen} />}
      </Box>
      <Dialog />
    </Box>
  );
}

function Frame() {
  useKeymap();
  useOverview();
  useSyncWatch();
  const size = useAppStore((s) => s.size);
  const activation = useAppStore((s) => (s.modal?.kind === 'activation' ? s.modal : null));
  const quit = useAppStore((s) => s.quitRequested);
  const { exit } = useApp();
  useEffect(() => {
    if (quit) exit();
  }, [quit, exit]);
  if (tooSmall(size)) {
    return (
      <Text wrap="truncate">{`Terminal too small (${size.columns}×${size.rows}); factordesk needs ${MIN_SIZE.columns}×${MIN_SIZE.rows}. q quits.`}</Text>
    );
  }
  return (
    <>
      {/* The QR code needs every line the terminal has; the screen stays mounted (hidden) under it. */}
      {activation ? <ActivationView modal={activation} /> : null}
      <Box display={activation ? 'none' : 'flex'} flexDirection="column" width={size.columns} height={frameHeight(size)} overflow="hidden">
        <TabBar />
        <Body />
        <MessageLine />
        <StatusLine />
      </Box>
    </>
  );
}

export interface AppProps {
  store: AppStore;
  client: DaemonClient;
  /** Keep the store's size instead of following the terminal (tests). */
  fixedSize?: boolean;
}

function SizeFollower({ fixed }: { fixed: boolean }) {
  useTerminalSize(fixed);
  return null;
}

/** See the file comment. */
export function App({ store, client, fixedSize = false }: AppProps) {
  return (
    <AppContext.Provider value={{ store, client }}>
      <SizeFollower fixed={fixedSize} />
      <Frame />
    </AppContext.Provider>
  );
}
