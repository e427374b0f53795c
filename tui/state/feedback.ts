/** How failures reach the person: the daemon's message and hint, never a stack. */
import { isFactordeskError } from '../../src/errors.js';
import type { AppState } from './store.js';

/** The message of any error, as one line. */
export function errorMessage(error: unknown): string {
  if (isFactordeskError(error)) return error.userMessage;
  return error instanceof Error ? error.message : String(error);
}

/** The hint of an error, if it has one. */
export function errorHint(error: unknown): string | undefined {
  return isFactordeskError(error) ? error.hint : undefined;
}

/** Shows an error on the message line. */
export function flashError(state: Pick<AppState, 'showFlash'>, error: unknown): void {
  state.showFlash(errorMessage(error), 'error', errorHint(error));
}

/** Capitalizes the first letter (domain messages start in lower case). */
export function sentenceCase(text: string): string {
  return text.length > 0 ? text[0]!.toUpperCase() + text.slice(1) : text;
}
