/** The options every `list` subcommand shares: filter terms, --sort, --limit. */
import { InvalidArgumentError, type Command } from 'commander';
import type { EntityName, ViewSpec } from '../../src/rpc/contract.js';

export interface ListOptions {
  sort?: string;
  limit?: number;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

/** Adds --sort and --limit to a list command. */
export function listOptions(command: Command): Command {
  return command
    .option('--sort <key[:desc]>', 'sort by a column, e.g. last_seen:desc')
    .option('--limit <n>', 'print at most n rows', positiveInt);
}

/** Parses `key` or `key:asc|desc`. */
export function parseSort(text: string | undefined): ViewSpec['sort'] {
  if (!text) return undefined;
  const [key, dir = 'asc'] = text.split(':');
  if (!key || (dir !== 'asc' && dir !== 'desc')) throw new InvalidArgumentError(`bad sort "${text}": use key or key:desc`);
  return { key, dir };
}

/** Builds a view spec from a list command's arguments. */
export function viewSpecFrom<E extends EntityName>(entity: E, filter: string[], opts: ListOptions): Omit<ViewSpec, 'window'> & { entity: E } {
  const sort = parseSort(opts.sort);
  return { entity, filter: filter.join(' '), ...(sort ? { sort } : {}) };
}
