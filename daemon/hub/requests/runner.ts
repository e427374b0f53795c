/**
 * Runs server-side requests: watches the `requests` collection, claims each pending request with a
 * compare-and-swap (so that of several hubs on one database exactly one runs it), runs its operation as the
 * requesting administrator, and writes the answer (`done` with a result, or `failed` with an error) back as a
 * document change that replicates to every daemon like any other.
 *
 * A hub that dies while running a request leaves it `running`: after STALE_MS any hub claims it again. Operations
 * are written to be safe to run again (resync remembers the requests it applied; imports check for their tokens).
 */
import type { Logger } from 'pino';
import type { ServerRequest } from '../../../src/domain/schemas.js';
import { deniedReason } from '../../../src/roles.js';
import { isFactordeskError } from '../../../src/errors.js';
import { getAdmin } from '../admin-directory.js';
import type { HubDocument, HubStore, JsonValue } from '../store.js';
import { bodyOf } from '../stored-document.js';
import { OperationFailure, type OperationResult, type OperationSettings, type OperationTable } from './operation.js';

export const REQUESTS_COLLECTION = 'requests';
/** Where a request's file waits (server-only secrets) until the request has run. */
export const ATTACHMENT_KIND = 'request-attachment';
/** A request left `running` this long by a hub is taken over. */
export const STALE_MS = 2 * 60_000;
const PAGE = 500;

export interface RequestRunnerOptions {
  store: HubStore;
  account: string;
  hubId: string;
  log: Logger;
  operations: OperationTable;
  settings: OperationSettings;
  now?: () => number;
  /** How often requests other hubs hold are looked at again (ms). */
  sweepMs?: number;
}

type RequestDoc = ServerRequest & { _deleted: boolean; _hubRev: number };

/** The requests one hub process runs; see the file comment. */
export class RequestRunner {
  private checkpoint: { seq: number } | null = null;
  private busy: Promise<void> | undefined;
  private again = false;
  private closed = false;
  /** Requests another hub holds (`running`), to take over once stale. */
  private readonly heldElsewhere = new Set<string>();
  private unsubscribe: (() => void) | undefined;
  private sweep: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly options: RequestRunnerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Starts watching: runs what is pending now, then whatever commits later. */
  start(): void {
    this.unsubscribe = this.options.store.onCommit((event) => {
      if (event.kind === 'resync' || event.collections.includes(REQUESTS_COLLECTION)) this.kick();
    });
    this.sweep = setInterval(() => {
      if (this.heldElsewhere.size > 0) {
        // Re-read from the start: a stale claim produces no new commit to wake us.
        this.checkpoint = null;
        this.kick();
      }
    }, this.options.sweepMs ?? 30_000);
    this.sweep.unref();
    this.kick();
  }

  /** Resolves when nothing is left to run (tests). */
  async idle(): Promise<void> {
    while (this.busy) await this.busy;
  }

  /** Stops watching; a request being run finishes first. */
  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    if (this.sweep) clearInterval(this.sweep);
    await this.idle();
  }

  private kick(): void {
    if (this.closed) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = this.drain().finally(() => {
      this.busy = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  private async drain(): Promise<void> {
    const { store, account, log } = this.options;
    try {
      for (;;) {
        const page = await store.pull(account, REQUESTS_COLLECTION, this.checkpoint, PAGE);
        for (const doc of page.documents as RequestDoc[]) {
          if (this.closed) return;
          await this.consider(doc);
        }
        this.checkpoint = page.checkpoint;
        if (page.documents.length < PAGE) return;
      }
    } catch (error) {
      if (!this.closed) log.error({ err: error }, 'reading server-side requests failed; retrying on the next commit');
    }
  }

  private async consider(doc: RequestDoc): Promise<void> {
    if (doc._deleted) return;
    if (doc.status === 'pending') {
      this.heldElsewhere.delete(doc.request_id);
      await this.run(doc);
    } else if (doc.status === 'running') {
      if (this.now() - doc.updated >= STALE_MS) {
        this.heldElsewhere.delete(doc.request_id);
        this.options.log.warn({ request_id: doc.request_id, hub_id: doc.hub_id }, 'taking over a request left running');
        await this.run(doc);
      } else {
        this.heldElsewhere.add(doc.request_id);
      }
    } else {
      this.heldElsewhere.delete(doc.request_id);
    }
  }

  /** Writes `next` if the request is still `assumed`; false when another writer got there first. */
  private async swap(assumed: RequestDoc | ServerRequest, next: ServerRequest): Promise<boolean> {
    const result = await this.options.store.push(
      this.options.account,
      REQUESTS_COLLECTION,
      [{ assumedMasterState: { ...bodyOf(assumed as unknown as Record<string, unknown>), _deleted: false }, newDocumentState: { ...next, _deleted: false } }],
      // The request's creation was audited; its answer is told by the audit events of what it changed.
      { adminId: this.options.hubId, adminName: 'hub', time: this.now(), audit: () => null },
    );
    return result.conflicts.length === 0;
  }

  private async run(doc: RequestDoc): Promise<void> {
    const { store, account, hubId, log } = this.options;
    const request = bodyOf(doc as unknown as Record<string, unknown>) as unknown as ServerRequest;
    const claimed: ServerRequest = { ...request, status: 'running', hub_id: hubId, updated: this.now() };
    if (!(await this.swap(doc, claimed))) return;
    const started = this.now();
    const answer = await this.execute(claimed);
    const finished: ServerRequest = { ...claimed, ...answer, updated: Math.max(this.now(), claimed.updated + 1) };
    if (!(await this.swap(claimed, finished))) {
      log.warn({ request_id: request.request_id }, 'a request changed while it ran; its answer was not written');
      return;
    }
    await store.deleteSecret(account, ATTACHMENT_KIND, request.request_id).catch(() => false);
    log.info(
      { request_id: request.request_id, kind: request.kind, admin_id: request.admin_id, status: finished.status, error_code: finished.error_code || undefined, ms: this.now() - started },
      'server-side request answered',
    );
  }

  /** Runs the operation and turns its outcome into the answer fields. */
  private async execute(request: ServerRequest): Promise<Pick<ServerRequest, 'status' | 'result' | 'error_code' | 'error_message'>> {
    const { store, account, log } = this.options;
    const fail = (code: string, message: string, details: OperationResult = {}) => ({
      status: 'failed' as const,
      result: details,
      error_code: code,
      error_message: message,
    });
    const admin = await getAdmin(store, account, request.admin_id);
    if (!admin || admin.status !== 'Active') return fail('FORBIDDEN', 'The administrator who made this request is no longer active.');
    const denied = deniedReason(admin.role, request.kind);
    if (denied !== undefined) return fail('FORBIDDEN', `${denied}.`);
    const operation = this.options.operations[request.kind];
    if (!operation) return fail('UNAVAILABLE', `This hub cannot run ${request.kind} requests.`);
    try {
      const result = await operation({
        store,
        account,
        log,
        now: this.now,
        settings: this.options.settings,
        request,
        requester: { admin_id: admin.admin_id, name: admin.name, role: admin.role, client: `request ${request.request_id}` },
        attachment: async () => {
          const value: JsonValue | undefined = await store.getSecret(account, ATTACHMENT_KIND, request.request_id);
          return typeof value === 'string' ? value : undefined;
        },
      });
      return { status: 'done', result, error_code: '', error_message: '' };
    } catch (error) {
      if (error instanceof OperationFailure) return fail(error.code, error.userMessage, error.details);
      if (isFactordeskError(error)) return fail(error.code, error.userMessage);
      log.error({ err: error, request_id: request.request_id, kind: request.kind }, 'a server-side request failed');
      return fail('INTERNAL', 'The hub could not run this request; its log says why.');
    }
  }
}
