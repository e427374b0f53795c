/**
 * The listeners of one store instance's commit events. A listener that throws is isolated: the commit has
 * already happened, so its failure must neither reach the pusher nor stop the other listeners.
 */
import type { CommitEvent, CommitListener } from './store.js';

/** A set of commit listeners with isolated delivery. */
export class CommitListeners {
  private readonly listeners = new Set<CommitListener>();

  /** Adds a listener; returns the function that removes it. */
  add(listener: CommitListener): () => void {
    // A wrapper per subscription, so subscribing one function twice gives two independent subscriptions.
    const entry: CommitListener = (event) => listener(event);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  /** Delivers an event to every listener; errors are reported asynchronously, never thrown here. */
  emit(event: CommitEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        queueMicrotask(() => {
          process.emitWarning(`hub store commit listener failed: ${String(error)}`);
        });
      }
    }
  }

  /** Removes every listener. */
  clear(): void {
    this.listeners.clear();
  }
}
