import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../daemon/logger.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempLog() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-log-'));
  dirs.push(dir);
  return path.join(dir, 'state', 'daemon.log');
}

describe('createLogger', () => {
  it('writes JSON lines to the log file, creating its directory 0700 and the file 0600', async () => {
    const logFile = tempLog();
    const { log, close } = createLogger({ logFile });
    log.info({ socket: '/s' }, 'daemon started');
    await close();
    const [line] = fs.readFileSync(logFile, 'utf8').trim().split('\n');
    expect(JSON.parse(line!)).toMatchObject({ level: 30, msg: 'daemon started', socket: '/s', pid: process.pid });
    expect(fs.statSync(path.dirname(logFile)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(logFile).mode & 0o777).toBe(0o600);
  });

  it('never writes secrets, at the top level or nested', async () => {
    const logFile = tempLog();
    const { log, close } = createLogger({ logFile });
    log.info({ secret: 'S1', token: { serial: '123', secret: 'S2', aes_key: 'S3' }, cred: { skey: 'S4' }, a: { b: { secret: 'S5' } } }, 'import');
    await close();
    const text = fs.readFileSync(logFile, 'utf8');
    for (const s of ['S1', 'S2', 'S3', 'S4', 'S5']) expect(text).not.toContain(`"${s}"`);
    expect(text).toContain('"serial":"123"');
    expect(text).toContain('[redacted]');
  });

  it('drops lines below the level', async () => {
    const logFile = tempLog();
    const { log, close } = createLogger({ logFile, level: 'warn' });
    log.info('quiet');
    log.warn('loud');
    await close();
    const text = fs.readFileSync(logFile, 'utf8');
    expect(text).not.toContain('quiet');
    expect(text).toContain('loud');
  });

  it('flush() puts buffered lines in the file before it returns (for process exit)', async () => {
    const logFile = tempLog();
    const logger = createLogger({ logFile });
    logger.log.info('opening');
    while (!fs.existsSync(logFile)) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20)); // the file is open now
    logger.log.info('just before exit');
    logger.flush();
    expect(fs.readFileSync(logFile, 'utf8')).toContain('just before exit');
    await logger.close();
  });
});
