/**
 * The hub's index of who owns which factor, for verification: usernames to users, and each user's tokens and
 * phones. Kept by pulling each collection from its checkpoint before use, so it costs three empty pulls when
 * nothing changed and never scans a collection twice.
 */
import type { HubDocument, HubStore } from '../store.js';

const PAGE = 2000;

interface Tracked {
  checkpoint: { seq: number } | null;
}

/** One user as verification needs it. */
export interface UserEntry {
  user_id: string;
  username: string;
  status: string;
}

/** See the file comment. */
export class UserFactors {
  private readonly users = new Map<string, UserEntry>();
  private readonly byUsername = new Map<string, string>();
  /** user_id → token_ids / phone_ids, and the reverse (to move a document when its users change). */
  private readonly tokensOf = new Map<string, Set<string>>();
  private readonly phonesOf = new Map<string, Set<string>>();
  private readonly tokenUsers = new Map<string, string[]>();
  private readonly phoneUsers = new Map<string, string[]>();
  private readonly tracked: Record<'users' | 'tokens' | 'phones', Tracked> = {
    users: { checkpoint: null },
    tokens: { checkpoint: null },
    phones: { checkpoint: null },
  };
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly store: HubStore,
    private readonly account: string,
  ) {}

  /** Brings the index up to date with what is committed (concurrent callers share one refresh). */
  refresh(): Promise<void> {
    this.refreshing ??= this.pullAll().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** A user by user_id or username. */
  user(ref: string): UserEntry | undefined {
    const byId = this.users.get(ref);
    if (byId) return byId;
    const id = this.byUsername.get(ref.toLowerCase());
    return id === undefined ? undefined : this.users.get(id);
  }

  tokenIds(userId: string): string[] {
    return [...(this.tokensOf.get(userId) ?? [])];
  }

  phoneIds(userId: string): string[] {
    return [...(this.phonesOf.get(userId) ?? [])];
  }

  private async pullAll(): Promise<void> {
    for (const name of ['users', 'tokens', 'phones'] as const) {
      const tracked = this.tracked[name];
      for (;;) {
        const page = await this.store.pull(this.account, name, tracked.checkpoint, PAGE);
        for (const doc of page.documents) this.apply(name, doc);
        tracked.checkpoint = page.checkpoint;
        if (page.documents.length < PAGE) break;
      }
    }
  }

  private apply(name: 'users' | 'tokens' | 'phones', doc: HubDocument): void {
    if (name === 'users') {
      const id = String(doc['user_id']);
      const previous = this.users.get(id);
      if (previous) this.byUsername.delete(previous.username.toLowerCase());
      if (doc._deleted) {
        this.users.delete(id);
        return;
      }
      const entry = { user_id: id, username: String(doc['username']), status: String(doc['status']) };
      this.users.set(id, entry);
      this.byUsername.set(entry.username.toLowerCase(), id);
      return;
    }
    const id = String(doc[name === 'tokens' ? 'token_id' : 'phone_id']);
    const owners = name === 'tokens' ? this.tokensOf : this.phonesOf;
    const reverse = name === 'tokens' ? this.tokenUsers : this.phoneUsers;
    for (const user of reverse.get(id) ?? []) owners.get(user)?.delete(id);
    const gone = doc._deleted || (name === 'phones' && doc['deletion'] !== '' && doc['deletion'] !== undefined);
    const users = gone || !Array.isArray(doc['users']) ? [] : (doc['users'] as unknown[]).map(String);
    reverse.set(id, users);
    for (const user of users) {
      let set = owners.get(user);
      if (!set) owners.set(user, (set = new Set()));
      set.add(id);
    }
  }
}
