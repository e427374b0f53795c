/**
 * A hub directory's configuration file (`hub.json`): where the hub listens, which store it uses, its TLS files,
 * the names it answers to (signed into every request), and its identity. Written by `hub init` (or the daemon's
 * local hub), read by `hub serve` and the admin commands.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { FactordeskError, invalid } from '../../src/errors.js';
import { hubPaths } from '../../src/paths.js';
import { parseStoreUrl } from './store.js';

export const HUB_CONFIG_VERSION = 1;
/** Where a hub listens unless told otherwise: loopback only. */
export const DEFAULT_LISTEN = { host: '127.0.0.1', port: 7443 } as const;
/** The store account a hub keeps its data under (several hubs of one team on one database share it). */
export const DEFAULT_ACCOUNT = 'default';

export interface ListenAddress {
  host: string;
  /** 0: any free port (the hub reports the one it got). */
  port: number;
}

export interface HubConfig {
  version: typeof HUB_CONFIG_VERSION;
  /** The hub's identity, shared by every hub process on one database (kept in the store too). */
  hub_id: string;
  account: string;
  listen: ListenAddress;
  /** Names clients reach the hub by, besides localhost/127.0.0.1 (they sign the host: see acceptedHostNames). */
  public_hosts: string[];
  /** The store URL; a relative SQLite path is relative to the hub directory. */
  db: string;
  /** Certificate and key (PEM) for HTTPS; relative paths are relative to the hub directory. Null: plain HTTP. */
  tls: { cert: string; key: string } | null;
  /** Plain HTTP on a non-loopback address was asked for explicitly (a TLS-terminating balancer in front). */
  plain_http: boolean;
  /** Epoch milliseconds. */
  created: number;
  /** HOTP counters a resync scans ahead of the stored one (absent: DEFAULT_RESYNC_WINDOW). */
  resync_window?: number;
  /** The SMTP server activations are mailed through (absent: the hub mails nothing). */
  smtp?: HubSmtpConfig;
}

/** The `smtp` block of hub.json. */
export interface HubSmtpConfig {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); false: plain, upgraded with STARTTLS when the server offers it. */
  secure: boolean;
  /** The sender, e.g. `factordesk <2fa@example.com>`. */
  from: string;
  /** SMTP AUTH user; its password is read from password_file (an absolute path) when a mail is sent. */
  user?: string;
  password_file?: string;
}

/** Reads and checks the config of a hub directory; a clear error when there is none. */
export function readHubConfig(hubDir: string): HubConfig {
  const { configFile } = hubPaths(hubDir);
  let text: string;
  try {
    text = fs.readFileSync(configFile, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new FactordeskError('NOT_FOUND', `${hubDir} is not a hub directory (no hub.json)`, {
        hint: 'create one with `factordesk hub init --hub-dir DIR`, or give the right --hub-dir',
        cause,
      });
    }
    throw new FactordeskError('UNAVAILABLE', `cannot read the hub config ${configFile}`, { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new FactordeskError('INVALID_INPUT', `the hub config ${configFile} is not valid JSON`, { hint: 'fix it or run `factordesk hub init` in a new directory', cause });
  }
  return checkHubConfig(parsed, configFile);
}

/** Validates a parsed config object. */
export function checkHubConfig(value: unknown, where = 'hub.json'): HubConfig {
  const c = value as Partial<HubConfig> | null;
  const bad = (what: string) => invalid(`the hub config ${where} ${what}`, 'fix it or run `factordesk hub init` in a new directory');
  if (c === null || typeof c !== 'object') throw bad('is not an object');
  if (c.version !== HUB_CONFIG_VERSION) throw bad(`has version ${String(c.version)}; this factordesk reads version ${HUB_CONFIG_VERSION}`);
  if (typeof c.hub_id !== 'string' || c.hub_id === '') throw bad('has no hub_id');
  if (typeof c.account !== 'string' || c.account === '') throw bad('has no account');
  if (!c.listen || typeof c.listen.host !== 'string' || !isPort(c.listen.port)) throw bad('has no valid listen address');
  if (!Array.isArray(c.public_hosts) || !c.public_hosts.every((h) => typeof h === 'string')) throw bad('has invalid public_hosts');
  if (typeof c.db !== 'string' || c.db === '') throw bad('names no database');
  if (c.tls !== null && (typeof c.tls !== 'object' || typeof c.tls?.cert !== 'string' || typeof c.tls?.key !== 'string')) {
    throw bad('has an invalid tls entry (cert and key file paths, or null)');
  }
  if (c.resync_window !== undefined && (!Number.isSafeInteger(c.resync_window) || c.resync_window < 1 || c.resync_window > 100_000)) {
    throw bad('has an invalid resync_window (a whole number from 1 to 100000)');
  }
  const smtp = c.smtp === undefined ? undefined : checkSmtp(c.smtp, bad);
  return {
    ...(c.resync_window !== undefined ? { resync_window: c.resync_window } : {}),
    ...(smtp ? { smtp } : {}),
    version: HUB_CONFIG_VERSION,
    hub_id: c.hub_id,
    account: c.account,
    listen: { host: c.listen.host, port: c.listen.port },
    public_hosts: [...c.public_hosts],
    db: c.db,
    tls: c.tls ? { cert: c.tls.cert, key: c.tls.key } : null,
    plain_http: c.plain_http === true,
    created: typeof c.created === 'number' ? c.created : 0,
  };
}

function checkSmtp(value: unknown, bad: (what: string) => FactordeskError): HubSmtpConfig {
  const s = value as Partial<HubSmtpConfig> | null;
  const wrong = (what: string) => bad(`has an invalid smtp entry: ${what}`);
  if (s === null || typeof s !== 'object') throw wrong('it is not an object');
  if (typeof s.host !== 'string' || s.host.trim() === '') throw wrong('no host');
  if (!isPort(s.port) || s.port === 0) throw wrong('no valid port');
  if (s.secure !== undefined && typeof s.secure !== 'boolean') throw wrong('secure is true or false');
  if (typeof s.from !== 'string' || !s.from.includes('@')) throw wrong('no sender address in from');
  if ((s.user === undefined) !== (s.password_file === undefined)) throw wrong('user and password_file go together');
  if (s.user !== undefined && (typeof s.user !== 'string' || s.user === '')) throw wrong('user is text');
  if (s.password_file !== undefined && (typeof s.password_file !== 'string' || !path.isAbsolute(s.password_file))) {
    throw wrong('password_file is an absolute path');
  }
  return {
    host: s.host,
    port: s.port,
    // The usual convention: implicit TLS on 465, STARTTLS elsewhere.
    secure: s.secure ?? s.port === 465,
    from: s.from,
    ...(s.user !== undefined && s.password_file !== undefined ? { user: s.user, password_file: s.password_file } : {}),
  };
}

/** Writes the config atomically (0600: a PostgreSQL URL may carry a password). */
export function writeHubConfig(hubDir: string, config: HubConfig): void {
  const { configFile } = hubPaths(hubDir);
  fs.mkdirSync(path.dirname(configFile), { recursive: true, mode: 0o700 });
  const temp = `${configFile}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(temp, configFile);
}

/** The store URL with a relative SQLite path made absolute against the hub directory. */
export function storeUrlOf(config: Pick<HubConfig, 'db'>, hubDir: string): string {
  const location = parseStoreUrl(config.db);
  if (location.backend !== 'sqlite' || location.file === ':memory:' || path.isAbsolute(location.file)) return config.db;
  return `sqlite:${path.resolve(hubDir, location.file)}`;
}

/** The certificate and key files, absolute; undefined for plain HTTP. */
export function tlsFilesOf(config: Pick<HubConfig, 'tls'>, hubDir: string): { cert: string; key: string } | undefined {
  if (!config.tls) return undefined;
  return { cert: path.resolve(hubDir, config.tls.cert), key: path.resolve(hubDir, config.tls.key) };
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535;
}

/** Parses `HOST:PORT`, `[v6]:PORT`, `:PORT` or `PORT` (host 127.0.0.1), e.g. the `--listen` option. */
export function parseListen(value: string): ListenAddress {
  const text = value.trim();
  const usage = `--listen '${value}' is not HOST:PORT; e.g. 127.0.0.1:7443, 0.0.0.0:7443 or [::1]:7443`;
  let host: string;
  let portText: string;
  const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(text);
  if (v6) {
    host = v6[1] ?? '';
    portText = v6[2] ?? '';
  } else if (/^\d+$/.test(text)) {
    host = DEFAULT_LISTEN.host;
    portText = text;
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) throw invalid(usage);
    host = text.slice(0, colon) || DEFAULT_LISTEN.host;
    portText = text.slice(colon + 1);
    if (host.includes(':')) throw invalid(usage, 'put an IPv6 address in brackets: [::1]:7443');
  }
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || !isPort(port)) throw invalid(usage);
  if (host !== 'localhost' && net.isIP(host) === 0 && !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(host)) throw invalid(usage);
  return { host, port };
}

/** True when only this machine can reach the address. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Checks a `--public-host` name: a DNS name or an IP address, optionally with a port. */
export function checkPublicHost(value: string): string {
  const name = value.trim().toLowerCase();
  const bare = name.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(bare) === 0 && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(bare)) {
    throw invalid(`--public-host '${value}' is not a host name or IP address`, 'e.g. --public-host hub.example.com');
  }
  return name;
}

/**
 * The host values a client may have signed (the canonical request's host line): the URL host it used, i.e.
 * a name with or without the port. Names: the public hosts, the listen host when it is a specific address,
 * and the loopback names (a client on the hub's own machine).
 */
export function acceptedHostNames(config: Pick<HubConfig, 'public_hosts' | 'listen'>, port: number): string[] {
  const names = new Set<string>();
  const add = (name: string) => {
    const lower = name.toLowerCase();
    names.add(lower);
    const hasPort = /^\[.*\]:\d+$/.test(lower) || (net.isIP(lower) === 0 && /:\d+$/.test(lower));
    if (hasPort) return;
    if (net.isIP(lower) === 6) {
      names.add(`[${lower}]`);
      names.add(`[${lower}]:${port}`);
    } else {
      names.add(`${lower}:${port}`);
    }
  };
  for (const host of config.public_hosts) add(host);
  const listen = config.listen.host;
  if (listen !== '0.0.0.0' && listen !== '::') add(listen);
  for (const loopback of ['localhost', '127.0.0.1', '::1']) add(loopback);
  return [...names];
}
