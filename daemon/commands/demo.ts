/** Loads the deterministic demo data set into an empty replica. */
import { generateDemoData } from '../../src/demo/generate.js';
import { refused } from '../../src/errors.js';
import type { CommandContext } from '../command-context.js';
import type { Replica } from '../replica/database.js';
import type { RpcHandlers } from '../rpc-server.js';

/** The demo handler; demo data includes administrators, so only an Owner may load it. */
export function demoCommands(
  cx: CommandContext,
  replica: Replica,
  run: <T>(fn: () => Promise<T>) => Promise<T>,
): Pick<RpcHandlers, 'demo.load'> {
  return {
    'demo.load': ({ size }) =>
      run(async () => {
        cx.allow('admins.add');
        if (size !== 'small' && size !== 'enterprise') throw refused(`Unknown demo size "${String(size)}".`, 'Use small or enterprise.');
        const existing = cx.model.count('users') + cx.model.count('phones') + cx.model.count('tokens');
        if (existing > 0) {
          throw refused(
            'Demo data loads only into an empty replica; this one already has users, devices or tokens.',
            'Use a fresh data directory: factordesk --data-dir /tmp/fd-demo demo load',
          );
        }
        const data = generateDemoData({ size, now: cx.now() });
        await replica.bulkInsert('users', data.users);
        await replica.bulkInsert('phones', data.phones);
        await replica.bulkInsert('tokens', data.tokens);
        await replica.bulkInsert('u2f', data.u2f);
        await replica.bulkInsert('admins', data.admins);
        const counts = {
          users: data.users.length,
          phones: data.phones.length,
          tokens: data.tokens.length,
          u2f: data.u2f.length,
          admins: data.admins.length,
        };
        await cx.audit(
          'demo.load',
          'replica',
          '',
          `loaded ${size} demo data: ${counts.users} users, ${counts.phones} devices, ${counts.tokens} tokens, ${counts.u2f} U2F, ${counts.admins} administrators`,
        );
        return counts;
      }),
  };
}
