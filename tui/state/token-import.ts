/**
 * The token import dialog's rules, apart from any I/O: the form's fields, what its values send, why a file cannot
 * be read, and the lines each step shows (the dry run's counts and first rows, a bad file's per-row errors, the
 * hub's request), wrapped to the dialog so that what scrolls can be counted in terminal lines.
 */
import path from 'node:path';
import { TOKEN_TYPE_LABELS, TOKEN_TYPES, type TokenType } from '../../src/domain/enums.js';
import { isAnswered } from '../../src/domain/request.js';
import { invalid, type FactordeskError } from '../../src/errors.js';
import type { ImportPreviewRow, ImportSummary } from '../../src/import/import-tokens.js';
import { IMPORT_FORMATS, type ImportFormat, type ImportRowError } from '../../src/import/imported-token.js';
import type { RequestView } from '../../src/rpc/contract.js';
import { dialogLines } from '../layout.js';
import { requestStateText } from './hub-actions-slice.js';
import { plural } from './rows.js';
import type { Choice, FormField, ImportModal, TermSize, TokenImportParams } from './types.js';

/** The hub takes request attachments up to this size (daemon/hub/requests/routes.ts). */
export const MAX_TOKEN_FILE_BYTES = 16 * 1024 * 1024;

/** The format choice that lets the daemon tell the format from the file. */
export const AUTO_FORMAT = 'auto';

const FORMAT_LABELS: Readonly<Record<ImportFormat, string>> = {
  'duo-csv': 'Duo CSV (serial,secret[,counter])',
  'oath-csv': 'OATH CSV (serial,seed,hotp|totp,…)',
  'yubico-csv': 'Yubico CSV (personalization tool log)',
  pskc: 'PSKC (RFC 6030 XML)',
};

const FORMAT_CHOICES: readonly Choice[] = [
  { value: AUTO_FORMAT, label: 'auto (detect from the file)' },
  ...IMPORT_FORMATS.map((f) => ({ value: f, label: FORMAT_LABELS[f] })),
];

/** The types a Duo CSV may hold (its rows do not say it); d1 tokens are received, not imported. */
const DUO_CSV_TYPES: readonly TokenType[] = TOKEN_TYPES.filter((t) => t !== 'd1');

const TYPE_CHOICES: readonly Choice[] = [
  { value: '', label: 'not given (YubiKey rows are recognised)' },
  ...DUO_CSV_TYPES.map((t) => ({ value: t, label: `${t} · ${TOKEN_TYPE_LABELS[t]}` })),
];

const formatIs = (...formats: string[]) => (values: Readonly<Record<string, string>>) => formats.includes(values.format ?? AUTO_FORMAT);

/** The import form's fields: the file, its format, a Duo CSV's token type (not for vendor tokens), a PSKC password. */
export function importFields(vendor: boolean, cwd: string): FormField[] {
  return [
    { name: 'path', label: 'File', kind: 'text', hint: `~ is your home directory; relative paths start at ${cwd}` },
    { name: 'format', label: 'Format', kind: 'choice', choices: FORMAT_CHOICES, hint: '←/→ or a letter to change; auto reads the first row (XML is PSKC)' },
    ...(vendor
      ? []
      : [
          {
            name: 'type',
            label: 'Token type',
            kind: 'choice' as const,
            choices: TYPE_CHOICES,
            hint: 'A Duo CSV does not say its type: h6/h8 HOTP, t6/t8 TOTP, yk YubiKey (←/→)',
            visible: formatIs(AUTO_FORMAT, 'duo-csv'),
          },
        ]),
    {
      name: 'pskcPassword',
      label: 'PSKC password',
      kind: 'text',
      secret: true,
      hint: 'Only for a password-encrypted PSKC file; it goes to the hub with the file and is kept nowhere',
      visible: formatIs(AUTO_FORMAT, 'pskc'),
    },
  ];
}

/** The form's first values. */
export function initialImportValues(): Record<string, string> {
  return { path: '', format: AUTO_FORMAT, type: '', pskcPassword: '' };
}

const isFormat = (v: string | undefined): v is ImportFormat => (IMPORT_FORMATS as readonly string[]).includes(v ?? '');
const isDuoType = (v: string | undefined): v is TokenType => (DUO_CSV_TYPES as readonly string[]).includes(v ?? '');

/** What the form's values send with the file's text (`vendor`: no type, the daemon makes them d1). */
export function importParams(values: Readonly<Record<string, string>>, content: string, file: string, vendor: boolean): TokenImportParams {
  const password = values.pskcPassword ?? '';
  return {
    content,
    filename: path.basename(file),
    ...(isFormat(values.format) ? { format: values.format } : {}),
    ...(!vendor && isDuoType(values.type) ? { type: values.type } : {}),
    ...(password !== '' ? { pskcPassword: password } : {}),
  };
}

/** Why a token file could not be read, in words (`error` from node:fs). */
export function unreadableFile(file: string, error: unknown): FactordeskError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const why =
    code === 'ENOENT'
      ? 'there is no such file'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EFBIG'
            ? `it is larger than the ${MAX_TOKEN_FILE_BYTES / 1024 / 1024} MB the hub takes`
            : error instanceof Error
              ? error.message
              : String(error);
  return invalid(`Cannot read ${file}: ${why}.`, 'Check the path; ~ is your home directory.');
}

// ---- what the dialog shows -------------------------------------------------------------------------------

export type LineTone = 'normal' | 'heading' | 'dim' | 'ok' | 'busy' | 'warn' | 'error';

/** One terminal line of the dialog. */
export interface DialogLine {
  text: string;
  tone: LineTone;
}

/** The dialog's content: lines always shown, lines that scroll under them, the key line. */
export interface ImportContent {
  title: string;
  fixed: DialogLine[];
  list: DialogLine[];
  footer: string;
}

/** Splits text into lines of at most `width` columns, at spaces where it can (a longer word is cut). */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  let line: string[] = [];
  for (const word of text.split(' ')) {
    let chars = Array.from(word);
    if (line.length > 0 && line.length + 1 + chars.length > w) {
      lines.push(line.join(''));
      line = [];
    }
    if (line.length > 0) line.push(' ');
    while (line.length + chars.length > w) {
      const room = w - line.length;
      line.push(...chars.slice(0, room));
      chars = chars.slice(room);
      lines.push(line.join(''));
      line = [];
    }
    line.push(...chars);
  }
  lines.push(line.join(''));
  return lines;
}

const wrapped = (text: string, tone: LineTone, width: number): DialogLine[] => wrapText(text, width).map((t) => ({ text: t, tone }));

/** "3 × h6 HOTP 6 digits, 1 × yk YubiKey OTP", in the order of the type codes. */
export function typeCounts(byType: ImportSummary['byType']): string {
  return TOKEN_TYPES.filter((t) => (byType[t] ?? 0) > 0)
    .map((t) => `${byType[t]} × ${t} ${TOKEN_TYPE_LABELS[t]}`)
    .join(', ');
}

/** What sets a previewed token apart: its step, counter, unusual code length or hash, YubiKey public id. */
function previewDetails(row: ImportPreviewRow): string {
  const parts: string[] = [];
  if (row.totp_step) parts.push(`step ${row.totp_step} s`);
  if (row.type === 'h6' || row.type === 'h8' || row.type === 'd1') parts.push(`counter ${row.counter}`);
  if (row.algorithm && row.algorithm.toLowerCase() !== 'sha1') parts.push(row.algorithm.toUpperCase());
  if (row.public_id) parts.push(`public id ${row.public_id}`);
  return parts.join(', ');
}

/** The dry run's first rows as a small table, and how many more there are. */
function previewList(summary: ImportSummary, width: number): DialogLine[] {
  const serialWidth = Math.min(32, Math.max(6, ...summary.preview.map((p) => Array.from(p.serial).length)));
  const cut = (s: string, n: number) => (Array.from(s).length > n ? `${Array.from(s).slice(0, n - 1).join('')}…` : s.padEnd(n));
  const row = (serial: string, type: string, details: string) => cut(`${cut(serial, serialWidth)}  ${type.padEnd(4)}  ${details}`, width).trimEnd();
  const lines: DialogLine[] = [{ text: row('Serial', 'Type', 'Details'), tone: 'heading' }];
  for (const p of summary.preview) lines.push({ text: row(p.serial, p.type, previewDetails(p)), tone: 'normal' });
  const more = summary.total - summary.preview.length;
  if (more > 0) lines.push({ text: `… and ${plural(more, 'more token', 'more tokens')}`, tone: 'dim' });
  return lines;
}

/** Per-row errors, each `line N  field: reason`, the reason wrapped beside its line number. */
export function errorList(errors: readonly ImportRowError[], width: number): DialogLine[] {
  const labelWidth = Math.max(6, ...errors.map((e) => `line ${e.line}`.length));
  return errors.flatMap((e) =>
    wrapText(`${e.field}: ${e.reason}`, width - labelWidth - 2).map((text, i) => ({
      text: `${(i === 0 ? `line ${e.line}` : '').padEnd(labelWidth)}  ${text}`,
      tone: 'normal' as const,
    })),
  );
}

/** A failed import's per-row errors (the hub checks the file again and names its rows too). */
export function requestErrors(request: RequestView | null): ImportRowError[] {
  const errors = (request?.result as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.filter((e): e is ImportRowError => typeof e === 'object' && e !== null && typeof (e as ImportRowError).line === 'number');
}

/** How many tokens a finished import brought in. */
export function importedCount(modal: ImportModal): number {
  const n = (modal.request?.result as { imported?: unknown } | undefined)?.imported;
  return typeof n === 'number' ? n : (modal.summary?.total ?? 0);
}

const what = (vendor: boolean) => (vendor ? 'Receive vendor tokens' : 'Import hardware tokens');
const formatWord = (format: ImportFormat | null) => (format ? ` (${format})` : '');

/** The lines of the dialog at its current step (`online`: whether the daemon has its hub). */
export function importContent(modal: ImportModal, options: { online: boolean; width: number }): ImportContent {
  const { width } = options;
  const name = path.basename(modal.file);
  const fixed: DialogLine[] = [];
  const errorLines = () => {
    if (!modal.error) return;
    fixed.push(...wrapped(modal.error.message, 'error', width));
    if (modal.error.hint) fixed.push(...wrapped(modal.error.hint, 'dim', width));
  };

  if (modal.step === 'invalid') {
    fixed.push(...wrapped(`${name}${formatWord(modal.format)}: ${plural(modal.errors.length, 'bad row')}; nothing was ${modal.vendor ? 'received' : 'imported'}.`, 'error', width));
    fixed.push(...wrapped('Fix the file and try again: Enter or Esc goes back to the form.', 'dim', width));
    fixed.push({ text: '', tone: 'normal' });
    return { title: `${what(modal.vendor)} · ${name} has errors`, fixed, list: errorList(modal.errors, width), footer: 'Enter/Esc back to the form · q close' };
  }

  const summary = modal.summary ?? { total: 0, byType: {}, preview: [] };
  if (modal.step === 'preview') {
    const verb = modal.vendor ? 'received' : 'imported';
    fixed.push(...wrapped(`${name}${formatWord(modal.format)}: ${plural(summary.total, 'token')} would be ${verb}: ${typeCounts(summary.byType)}.`, 'normal', width));
    fixed.push(
      ...(modal.busy
        ? wrapped('Sending the file to the hub…', 'busy', width)
        : wrapped(`Dry run: nothing has changed yet. Enter ${modal.vendor ? 'receives' : 'imports'} them at the hub (all or nothing).`, 'dim', width)),
    );
    errorLines();
    fixed.push({ text: '', tone: 'normal' });
    return {
      title: `${what(modal.vendor)} · dry run of ${name}`,
      fixed,
      list: previewList(summary, width),
      footer: modal.busy ? 'Working…' : `Enter ${modal.vendor ? 'receive' : 'import'} ${plural(summary.total, 'token')} · Esc back to the form · q close`,
    };
  }

  // The request the hub runs.
  const request = modal.request;
  fixed.push(...wrapped(`${plural(summary.total, 'token')} from ${name}${formatWord(modal.format)}: ${typeCounts(summary.byType)}.`, 'normal', width));
  fixed.push({ text: '', tone: 'normal' });
  if (request?.status === 'done') {
    fixed.push(...wrapped(`${modal.vendor ? 'Received' : 'Imported'} ${plural(importedCount(modal), 'token')}.`, 'ok', width));
    fixed.push(...wrapped('The tokens list shows them as soon as the replica has them.', 'dim', width));
  } else if (request) {
    fixed.push(...wrapped(requestStateText(request, options.online), request.status === 'failed' ? 'error' : request.status === 'running' ? 'busy' : 'warn', width));
    const hint = (request.result as { hint?: unknown }).hint;
    if (request.status === 'failed' && typeof hint === 'string') fixed.push(...wrapped(hint, 'dim', width));
  }
  errorLines();
  if (request) fixed.push({ text: `Request ${request.request_id}`, tone: 'dim' });
  const errors = request?.status === 'failed' ? requestErrors(request) : [];
  if (errors.length > 0) fixed.push({ text: '', tone: 'normal' });
  return {
    title: `${what(modal.vendor)} · ${name}`,
    fixed,
    list: errorList(errors, width),
    footer: (request !== null && isAnswered(request)) || modal.error ? 'Enter/Esc close' : 'Esc close — it still runs, and its result is kept',
  };
}

/** Columns of text in a dialog on a terminal this wide: dialog-frame.tsx draws at most 100, with a border and a space each side. */
export function dialogTextWidth(columns: number): number {
  return Math.max(10, Math.min(columns, 100) - 4);
}

/** The dialog laid out in a terminal: its content, how many list lines fit under the fixed ones, and where the list starts. */
export interface ImportWindow {
  content: ImportContent;
  visible: number;
  maxScroll: number;
  scroll: number;
}

/** See ImportWindow. */
export function importWindow(modal: ImportModal, size: TermSize, online: boolean): ImportWindow {
  const content = importContent(modal, { online, width: dialogTextWidth(size.columns) });
  const visible = Math.max(1, dialogLines(size) - content.fixed.length);
  const maxScroll = Math.max(0, content.list.length - visible);
  return { content, visible, maxScroll, scroll: Math.min(Math.max(0, modal.scroll), maxScroll) };
}
