/**
 * Where the user is: the current screen, the properties pages opened over each screen's list (a stack per
 * screen, so switching screens and back returns to the same page), the terminal size, the message line,
 * and whether the user asked to quit.
 */
import type { StateCreator } from 'zustand/vanilla';
import { SCREENS, type Flash, type FlashTone, type Page, type ScreenId, type TermSize } from './types.js';
import type { AppState } from './store.js';

export interface NavigationSlice {
  screen: ScreenId;
  stacks: Record<ScreenId, Page[]>;
  size: TermSize;
  flash: Flash | null;
  quitRequested: boolean;
  switchScreen(id: ScreenId): void;
  /** Next (+1) or previous (-1) screen, wrapping around. */
  cycleScreen(delta: number): void;
  /** Opens a properties page over the current screen. */
  openPage(page: Page): void;
  /** Closes the top page; false when there was none. */
  back(): boolean;
  /** The page on top of the current screen, or null when its list shows. */
  topPage(): Page | null;
  requestQuit(): void;
  setSize(size: TermSize): void;
  showFlash(text: string, tone?: FlashTone, hint?: string): void;
  clearFlash(): void;
}

const emptyStacks = (): Record<ScreenId, Page[]> =>
  Object.fromEntries(SCREENS.map((s) => [s.id, []])) as unknown as Record<ScreenId, Page[]>;

/** The navigation slice; `initial` picks the first screen and size. */
export function navigationSlice(initial: { screen: ScreenId; size: TermSize }): StateCreator<AppState, [], [], NavigationSlice> {
  return (set, get) => ({
    screen: initial.screen,
    stacks: emptyStacks(),
    size: initial.size,
    flash: null,
    quitRequested: false,
    switchScreen(id) {
      if (get().screen === id) return;
      set({ screen: id });
      // Details belong to the page on top of one screen; the other screen's page loads its own.
      get().resetDetail();
    },
    cycleScreen(delta) {
      const i = SCREENS.findIndex((s) => s.id === get().screen);
      get().switchScreen(SCREENS[(i + delta + SCREENS.length) % SCREENS.length]!.id);
    },
    openPage(page) {
      const { screen, stacks } = get();
      set({ stacks: { ...stacks, [screen]: [...stacks[screen], page] } });
      get().resetDetail();
    },
    back() {
      const { screen, stacks } = get();
      if (stacks[screen].length === 0) return false;
      set({ stacks: { ...stacks, [screen]: stacks[screen].slice(0, -1) } });
      get().resetDetail();
      return true;
    },
    topPage() {
      const stack = get().stacks[get().screen];
      return stack[stack.length - 1] ?? null;
    },
    requestQuit() {
      set({ quitRequested: true });
    },
    setSize(size) {
      const cur = get().size;
      if (cur.columns !== size.columns || cur.rows !== size.rows) set({ size });
    },
    showFlash(text, tone = 'info', hint) {
      set({ flash: hint ? { text, tone, hint } : { text, tone } });
    },
    clearFlash() {
      if (get().flash) set({ flash: null });
    },
  });
}
