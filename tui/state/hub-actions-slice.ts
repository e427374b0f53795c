/**
 * What the hub does for the TUI: resynchronizing a hardware token with three codes and sending a phone a Duo
 * Mobile activation. Both are server-side requests: the daemon writes one (queued while the hub is away) and the
 * dialog follows it with long polls (`requests.get` with a wait) until the hub has answered. A finished activation
 * is fetched from the hub and shown as a QR code and a link.
 */
import QRCode from 'qrcode';
import type { StateCreator } from 'zustand/vanilla';
import type { PhoneType } from '../../src/domain/enums.js';
import { assertResyncable } from '../../src/domain/token.js';
import { invalid } from '../../src/errors.js';
import type { Token } from '../../src/domain/schemas.js';
import type { RequestView } from '../../src/rpc/contract.js';
import { formModal } from './dialog-slice.js';
import { errorMessage } from './feedback.js';
import { followRequest } from './request-follow.js';
import type { Modal } from './types.js';
import type { AppDeps, AppState } from './store.js';


/** A token as the resync needs it. */
export interface ResyncTarget {
  token_id: string;
  serial: string;
  type: Token['type'];
}

/** A device as the activation needs it. */
export interface ActivationTarget {
  phone_id: string;
  /** The device in words (its name, number or id). */
  label: string;
  type: PhoneType;
}

export interface HubActionsSlice {
  resyncToken(token: ResyncTarget): void;
  sendActivation(phone: ActivationTarget): void;
  /** Fetches the device's current activation from the hub and shows its QR code in place of the request's dialog. */
  showActivation(phone: ActivationTarget): Promise<void>;
  /** Copies the shown activation link. */
  copyActivationLink(): void;
}

/** Why a token cannot be resynchronized (TOTP, YubiKey), or undefined. */
export function resyncRefusal(token: Pick<Token, 'type' | 'serial'>): string | undefined {
  try {
    assertResyncable(token);
    return undefined;
  } catch (e) {
    return errorMessage(e);
  }
}

/** Why a device cannot get a Duo Mobile activation, or undefined. */
export function activationRefusal(phone: { type: PhoneType }): string | undefined {
  return phone.type === 'landline' ? 'A landline cannot run Duo Mobile' : undefined;
}

/** Where a request stands, in words (`online`: whether the daemon is connected to its hub). */
export function requestStateText(request: RequestView, online: boolean): string {
  switch (request.status) {
    case 'pending':
      return request.queued || !online ? 'Queued — will run when the hub is back.' : 'Sent to the hub; waiting for it to run…';
    case 'running':
      return 'Running at the hub…';
    case 'done':
      return 'Done.';
    case 'failed':
      return `Failed: ${request.error_message || request.error_code || 'the hub gave no reason'}`;
  }
}


/** The QR code of `text` as terminal lines: half-block characters, dark modules drawn. */
export async function qrLines(text: string): Promise<string[]> {
  const drawn = await QRCode.toString(text, { type: 'utf8', errorCorrectionLevel: 'L', margin: 2 });
  return drawn.split('\n').filter((line) => line.length > 0);
}

/** The hub actions slice. */
export function hubActionsSlice(deps: AppDeps): StateCreator<AppState, [], [], HubActionsSlice> {
  const { client } = deps;
  return (set, get) => {
    let follows = 0;
    type RequestModal = Extract<Modal, { kind: 'request' }>;
    const current = (follow: number): RequestModal | null => {
      const m = get().modal;
      return m?.kind === 'request' && m.follow === follow ? m : null;
    };
    const update = (follow: number, patch: Partial<RequestModal>) => {
      const m = current(follow);
      if (m) set({ modal: { ...m, ...patch } });
    };

    /**
     * Shows a request's dialog (in place of the form that made it) and follows the request until the hub has
     * answered or the dialog is closed; then `onDone` (or the result lines) for a done one, the hub's reason for a
     * failed one.
     */
    const follow = async (
      first: RequestView,
      options: { title: string; lines: string[]; doneLines(r: RequestView): string[]; onDone?(r: RequestView): Promise<void> },
    ): Promise<void> => {
      const id = ++follows;
      set({ modal: { kind: 'request', title: options.title, lines: options.lines, request: first, result: null, error: null, follow: id } });
      let request: RequestView | undefined;
      try {
        request = await followRequest(client, first, () => current(id) !== null, (r) => update(id, { request: r }));
      } catch (e) {
        update(id, { error: errorMessage(e) });
        return;
      }
      if (request?.status !== 'done' || !current(id)) return;
      if (options.onDone) await options.onDone(request);
      else update(id, { result: options.doneLines(request) });
    };

    return {
      resyncToken(token) {
        get().openModal(
          formModal({
            title: `Resync token ${token.serial}`,
            lines: [
              "Press the token's button three times and type the three codes, in the order it showed them.",
              'The hub looks ahead of the counter it has and takes up the token where it is now.',
            ],
            fields: [1, 2, 3].map((n) => ({ name: `code${n}`, label: `Code ${n}`, kind: 'text' as const, hint: 'Digits only, as the token shows them' })),
            values: { code1: '', code2: '', code3: '' },
            submitLabel: 'Resync',
            async submit(values) {
              const codes = [values.code1, values.code2, values.code3].map((c) => (c ?? '').replace(/\s+/g, ''));
              if (codes.some((c) => c === '')) throw invalid('Type all three codes.');
              const { serial } = token;
              // A refusal (role, token, codes) keeps the form open with the reason; the request's dialog follows.
              const request = await client.request('tokens.resync', { token: token.token_id, codes, wait: 0 });
              void follow(request, {
                title: `Resync token ${serial}`,
                lines: [`Three codes from token ${serial}.`],
                doneLines: () => [`Token ${serial} is in step with the hub again: its next code logs in.`],
              });
            },
          }),
        );
      },

      sendActivation(phone) {
        get().openModal(
          formModal({
            title: `Send a Duo Mobile activation to ${phone.label}`,
            lines: [
              'The hub creates a new activation; an earlier one of this device stops working.',
              'It is shown here as a QR code and a link, and also mailed when you give an address.',
            ],
            fields: [{ name: 'email', label: 'E-mail (optional)', kind: 'text', hint: 'Leave empty to only show it here' }],
            values: { email: '' },
            submitLabel: 'Send activation',
            async submit(values) {
              const email = (values.email ?? '').trim();
              const request = await client.request('phones.activate', { phone: phone.phone_id, ...(email ? { email } : {}), wait: 0 });
              void follow(request, {
                title: `Activation for ${phone.label}`,
                lines: [email ? `Mailed to ${email} and shown here once the hub has made it.` : 'Shown here once the hub has made it.'],
                doneLines: () => ['The activation is ready.'],
                onDone: () => get().showActivation(phone),
              });
            },
          }),
        );
      },

      async showActivation(phone) {
        let modal: Extract<Modal, { kind: 'activation' }>;
        try {
          const activation = await client.request('phones.activation', { phone: phone.phone_id });
          modal = { kind: 'activation', device: phone.label, activation, qr: await qrLines(activation.otpauth_uri) };
        } catch (e) {
          const m = get().modal;
          if (m?.kind === 'request') set({ modal: { ...m, error: errorMessage(e) } });
          return;
        }
        // Closed meanwhile, or another dialog opened: that one stays.
        if (get().modal?.kind === 'request') set({ modal });
      },

      copyActivationLink() {
        const m = get().modal;
        if (m?.kind !== 'activation') return;
        deps.copy(m.activation.otpauth_uri);
        get().showFlash('Copied the activation link.', 'ok');
      },
    };
  };
}
