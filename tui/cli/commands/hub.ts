/**
 * `factordesk hub init | serve | admin add | admin list | admin revoke`: the team hub, run by an operator on its
 * own machine. The admin commands act directly on the hub directory's store (no signed request), and tell a
 * serving hub to resync its streams afterwards.
 */
import { Option, type Command } from 'commander';
import { resolveHubDir } from '../../../src/paths.js';
import type { HubStore } from '../../../daemon/hub/store.js';
import type { CliRuntime } from '../program.js';
import { CliExit } from '../exit-codes.js';
import { formatRecord, formatRows } from '../output.js';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
const LEVELS: Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

interface HubDirOption {
  hubDir?: string;
}

const hubDirOption = () =>
  new Option('--hub-dir <dir>', 'hub directory (default: $XDG_DATA_HOME/factordesk-hub, else ~/.local/share/factordesk-hub)');

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Registers the hub command group. */
export function register(program: Command, ctx: CliRuntime): void {
  const hub = program.command('hub').description("the team's hub: the source of truth every daemon replicates with");
  const hubDirOf = (options: HubDirOption) => resolveHubDir({ env: ctx.env(), ...(options.hubDir ? { hubDir: options.hubDir } : {}) });

  hub
    .command('init')
    .description('create a hub directory: config, store, TLS certificate, and a first Owner credential (printed once)')
    .addOption(hubDirOption())
    .option('--listen <host:port>', 'address to listen on', '127.0.0.1:7443')
    .option('--self-signed', 'make a self-signed certificate (daemons pin its fingerprint)')
    .option('--cert <file>', 'TLS certificate (PEM)')
    .option('--key <file>', 'TLS private key (PEM)')
    .option('--db <url>', 'store: sqlite:/path or postgres://user@host:port/db (default: SQLite in the hub directory)')
    .option('--public-host <name>', 'a name clients reach the hub by (repeatable; goes into the certificate)', collect, [])
    .option('--plain-http', 'allow plain HTTP on a non-loopback address (a TLS proxy in front)')
    .option('--owner <name>', 'name of the first Owner (default: the OS user)')
    .action(
      async (options: HubDirOption & {
        listen: string;
        selfSigned?: boolean;
        cert?: string;
        key?: string;
        db?: string;
        publicHost: string[];
        plainHttp?: boolean;
        owner?: string;
      }) => {
        const [{ initHub }, { parseListen, checkPublicHost, storeUrlOf }, { invalid }] = await Promise.all([
          import('../../../daemon/hub/hub-init.js'),
          import('../../../daemon/hub/hub-config.js'),
          import('../../../src/errors.js'),
        ]);
        if (options.selfSigned && (options.cert || options.key)) throw invalid('give either --self-signed or --cert and --key, not both');
        if (Boolean(options.cert) !== Boolean(options.key)) throw invalid('--cert and --key go together');
        const hubDir = hubDirOf(options);
        const listen = parseListen(options.listen);
        const result = await initHub({
          hubDir,
          listen,
          ...(options.selfSigned ? { tls: 'self-signed' as const } : options.cert && options.key ? { tls: { cert: options.cert, key: options.key } } : {}),
          ...(options.db ? { db: options.db } : {}),
          publicHosts: options.publicHost.map(checkPublicHost),
          plainHttp: options.plainHttp === true,
          ...(options.owner ? { owner: { name: options.owner } } : {}),
        });
        const scheme = result.config.tls ? 'https' : 'http';
        const host = result.config.public_hosts[0] ?? (listen.host === '0.0.0.0' || listen.host === '::' ? '127.0.0.1' : listen.host);
        const url = hubUrl(scheme, host, listen.port);
        const backend = storeUrlOf(result.config, hubDir).startsWith('sqlite:') ? 'sqlite' : 'postgres';
        const json = {
          hub_id: result.config.hub_id,
          hub_dir: result.hubDir,
          url,
          database: backend,
          adopted: result.adopted,
          fingerprint: result.fingerprint ?? null,
          owner: result.owner
            ? { admin_id: result.owner.admin.admin_id, name: result.owner.admin.name, ikey: result.owner.ikey, skey_file: result.owner.skeyFile }
            : null,
        };
        const fields: [string, string][] = [
          ['hub', `${result.config.hub_id}${result.adopted ? ' (joined the hub already in this database)' : ''}`],
          ['directory', result.hubDir],
          ['url', url],
          ['database', backend],
        ];
        if (result.fingerprint) fields.push(['certificate sha256', result.fingerprint]);
        if (result.owner) {
          fields.push(
            ['owner', `${result.owner.admin.name} (${result.owner.admin.admin_id})`],
            ['integration key', result.owner.ikey],
            ['secret key file', `${result.owner.skeyFile} (shown once: hand it to the Owner, then delete it here)`],
          );
        } else {
          fields.push(['owner', 'none made: the database already has administrators']);
        }
        fields.push(['next', `factordesk hub serve --hub-dir ${result.hubDir}`]);
        if (result.owner) {
          fields.push(['then', `factordesk login ${listen.port === 0 ? 'URL' : url} --ikey ${result.owner.ikey} --skey-file ${result.owner.skeyFile}`]);
        }
        ctx.out(formatRecord(ctx.format(), fields, json));
      },
    );

  hub
    .command('serve')
    .description('serve the hub in the foreground (prints its URL and certificate fingerprint); stops on SIGTERM or Ctrl-C')
    .addOption(hubDirOption())
    .addOption(new Option('--log-level <level>', 'log level (default info, debug with --debug)').choices(LEVELS))
    .action(async (options: HubDirOption & { logLevel?: Level }) => {
      const [{ runHub }, { hubPaths }] = await Promise.all([import('../../../daemon/hub/run-hub.js'), import('../../../src/paths.js')]);
      const hubDir = hubDirOf(options);
      const logFile = hubPaths(hubDir).logFile;
      const code = await runHub({
        hubDir,
        logLevel: options.logLevel ?? (ctx.debug() ? 'debug' : 'info'),
        onReady: (info) => {
          const json = { hub_id: info.hub_id, url: info.url, fingerprint: info.fingerprint ?? null, pid: info.pid, log_file: logFile };
          if (ctx.format() === 'json') {
            ctx.out(JSON.stringify(json) + '\n');
            return;
          }
          const lines = [`factordesk hub ${info.hub_id} serving ${info.url} (pid ${info.pid})`];
          if (info.fingerprint) lines.push(`certificate sha256 fingerprint: ${info.fingerprint}`);
          lines.push(`log: ${logFile}`);
          ctx.out(lines.join('\n') + '\n');
        },
      });
      if (code !== 0) throw new CliExit(code);
    });

  const admin = hub.command('admin').description("the hub's administrators and their credentials (acts on the hub directory's store)");

  admin
    .command('add')
    .description('add an administrator and issue an integration key and secret key (written to a 0600 file, shown once)')
    .argument('<name>', 'the administrator name')
    .requiredOption('--role <role>', 'Owner, Administrator, User Manager, Help Desk, Billing or Read-only')
    .option('--email <email>', 'e-mail address')
    .option('--skey-file <file>', 'where to write the secret key (default: <hub-dir>/credentials/<ikey>.skey)')
    .addOption(hubDirOption())
    .action(async (name: string, options: HubDirOption & { role: string; email?: string; skeyFile?: string }) => {
      const [{ addAdmin, parseRole, operatorActor }, { issueCredential, writeSecretKeyFile }, { hubPaths }] = await Promise.all([
        import('../../../daemon/hub/admin-directory.js'),
        import('../../../daemon/hub/credentials.js'),
        import('../../../src/paths.js'),
      ]);
      const role = parseRole(options.role);
      const hubDir = hubDirOf(options);
      await withStore(hubDir, async (store, account) => {
        const now = Date.now();
        const added = await addAdmin(store, account, { name, role, ...(options.email ? { email: options.email } : {}) }, operatorActor(), now);
        const credential = await issueCredential(store, account, added.admin_id, now);
        const skeyFile = writeSecretKeyFile(
          credential.skey,
          options.skeyFile ? { file: options.skeyFile } : { dir: hubPaths(hubDir).credentialsDir, ikey: credential.ikey },
        );
        const json = { admin_id: added.admin_id, name: added.name, role: added.role, email: added.email, ikey: credential.ikey, skey_file: skeyFile };
        ctx.out(
          formatRecord(
            ctx.format(),
            [
              ['administrator', `${added.name} (${added.admin_id})`],
              ['role', added.role],
              ['integration key', credential.ikey],
              ['secret key file', `${skeyFile} (shown once: hand it to ${added.name}, then delete it here)`],
            ],
            json,
          ),
        );
      });
    });

  admin
    .command('list')
    .description('list administrators with their integration keys (never their secrets)')
    .addOption(hubDirOption())
    .action(async (options: HubDirOption) => {
      const { listAdminsWithKeys } = await import('../../../daemon/hub/admin-directory.js');
      await withStore(hubDirOf(options), async (store, account) => {
        const admins = await listAdminsWithKeys(store, account);
        const headers = ['admin_id', 'name', 'role', 'status', 'email', 'active_keys', 'revoked_keys'];
        const rows = admins.map((a) => [
          a.admin_id,
          a.name,
          a.role,
          a.status,
          a.email,
          a.keys.filter((k) => k.revoked === null).map((k) => k.ikey).join(' '),
          a.keys.filter((k) => k.revoked !== null).map((k) => k.ikey).join(' '),
        ]);
        const json = admins.map((a) => ({
          admin_id: a.admin_id,
          name: a.name,
          role: a.role,
          status: a.status,
          email: a.email,
          keys: a.keys.map((k) => ({ ikey: k.ikey, created: new Date(k.created).toISOString(), revoked: k.revoked === null ? null : new Date(k.revoked).toISOString() })),
        }));
        ctx.out(formatRows(ctx.format(), headers, rows, json));
      });
    });

  admin
    .command('revoke')
    .description('revoke an integration key, or all keys of an administrator (by name or admin_id, who is then disabled)')
    .argument('<ikey-or-name>', 'an integration key (DI…), an administrator name or admin_id')
    .addOption(hubDirOption())
    .action(async (target: string, options: HubDirOption) => {
      const { revoke, operatorActor } = await import('../../../daemon/hub/admin-directory.js');
      await withStore(hubDirOf(options), async (store, account) => {
        const result = await revoke(store, account, target, operatorActor(), Date.now());
        const json = { admin_id: result.admin?.admin_id ?? null, name: result.admin?.name ?? null, revoked: result.revoked, disabled: result.disabled };
        ctx.out(
          formatRecord(
            ctx.format(),
            [
              ['administrator', result.admin ? `${result.admin.name} (${result.admin.admin_id})` : 'unknown'],
              ['revoked keys', result.revoked.join(' ') || 'none (already revoked)'],
              ['disabled', result.disabled ? 'yes' : result.admin?.status === 'Disabled' ? 'already' : 'no'],
            ],
            json,
          ),
        );
      });
    });
}

/** The URL clients use; with port 0 the port is chosen when serving (`hub serve` prints it). */
function hubUrl(scheme: string, host: string, port: number): string {
  if (/:\d+$/.test(host) && !/^[^[]*:.*:/.test(host)) return `${scheme}://${host}`;
  const name = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${scheme}://${name}:${port === 0 ? '<port printed by hub serve>' : port}`;
}

/** Opens the hub directory's store, runs `work`, closes it, and tells a serving hub to resync its streams. */
async function withStore(hubDir: string, work: (store: HubStore, account: string) => Promise<void>): Promise<void> {
  const [{ readHubConfig, storeUrlOf }, { openStore }, { signalResync }] = await Promise.all([
    import('../../../daemon/hub/hub-config.js'),
    import('../../../daemon/hub/store.js'),
    import('../../../daemon/hub/run-hub.js'),
  ]);
  const config = readHubConfig(hubDir);
  const store = await openStore(storeUrlOf(config, hubDir));
  try {
    await work(store, config.account);
  } finally {
    await store.close();
  }
  signalResync(hubDir);
}
