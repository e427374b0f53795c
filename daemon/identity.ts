/**
 * Who this daemon acts as. Until a hub is configured, the daemon is the single administrator's own:
 * the first start makes a local Owner named after the OS user and keeps it in the config file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROLES, type Role } from '../src/domain/enums.js';
import { newId } from '../src/domain/ids.js';
import { FactordeskError } from '../src/errors.js';
import type { Identity } from '../src/rpc/contract.js';

interface ConfigFile {
  identity?: Partial<Identity>;
}

/** Reads the identity from the config file, creating a local Owner there on first start. */
export function loadOrCreateIdentity(configFile: string): Identity {
  let config: ConfigFile = {};
  if (fs.existsSync(configFile)) {
    try {
      config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as ConfigFile;
    } catch (cause) {
      throw new FactordeskError('INVALID_INPUT', `The config file ${configFile} is not valid JSON`, {
        hint: 'Fix or remove it; a new local Owner identity is created when it is missing.',
        cause,
      });
    }
  }
  const found = config.identity;
  if (found?.admin_id && found.name && found.role) {
    if (!(ROLES as readonly string[]).includes(found.role)) {
      throw new FactordeskError('INVALID_INPUT', `The config file ${configFile} names an unknown role "${found.role}"`, {
        hint: `Roles: ${ROLES.join(', ')}.`,
      });
    }
    return { admin_id: found.admin_id, name: found.name, role: found.role as Role };
  }
  const identity: Identity = { admin_id: newId('DE'), name: os.userInfo().username, role: 'Owner' };
  fs.mkdirSync(path.dirname(configFile), { recursive: true, mode: 0o700 });
  fs.writeFileSync(configFile, JSON.stringify({ ...config, identity }, null, 2) + '\n', { mode: 0o600 });
  return identity;
}
