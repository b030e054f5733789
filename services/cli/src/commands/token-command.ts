import { parseArgs } from 'node:util';
import { API_ROLES, createDatabase, createTokenRepository, isApiRole, type TokenRepository } from '@rendezvous/db';
import { ValidationError } from '@rendezvous/errors';
import type { Command } from '../command.ts';

const USAGE = [
  `token create --role <${API_ROLES.join('|')}> [--name <label>] [--expires-in-days <n>]   prints the secret once`,
  'token revoke <id>',
  'token list',
].join('\n  ');

async function create(args: string[], tokens: TokenRepository): Promise<object> {
  const { values } = parseArgs({ args, options: { role: { type: 'string' }, name: { type: 'string' }, 'expires-in-days': { type: 'string' } } });
  if (!isApiRole(values.role)) throw new ValidationError(`token create needs --role ${API_ROLES.join('|')}`);
  const days = values['expires-in-days'];
  if (days !== undefined && !/^[1-9][0-9]{0,4}$/.test(days)) throw new ValidationError('--expires-in-days takes a whole number of days (1–99999)');
  const expiresAt = days === undefined ? undefined : new Date(Date.now() + Number(days) * 86_400_000);
  const { id, name, role, token, createdAt, expiresAt: expires } = await tokens.create({ role: values.role, name: values.name, expiresAt });
  return { id, name, role, token, createdAt, ...(expires ? { expiresAt: expires } : {}) };
}

async function revoke(args: string[], tokens: TokenRepository): Promise<object> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const id = Number(positionals[0]);
  if (positionals.length !== 1 || !Number.isSafeInteger(id) || id <= 0) throw new ValidationError('token revoke needs one token id (see token list)');
  const { name, role, revokedAt } = await tokens.revoke(id);
  return { id, name, role, revokedAt };
}

async function list(args: string[], tokens: TokenRepository): Promise<object> {
  parseArgs({ args, options: {} });
  return tokens.list();
}

const SUBCOMMANDS: Record<string, (args: string[], tokens: TokenRepository) => Promise<object>> = { create, revoke, list };

export const tokenCommand: Command = {
  name: 'token',
  summary: 'API tokens: create --role <viewer|analyst|admin> [--name <label>] prints the secret once; revoke <id>; list',
  usage: 'token create|revoke|list …',
  async run(args, { config, logger, stdout }) {
    const [sub, ...rest] = args;
    const handler = sub === undefined ? undefined : SUBCOMMANDS[sub];
    if (!handler) throw new ValidationError(`usage:\n  ${USAGE}`);
    const database = createDatabase(config.db, logger);
    try {
      stdout.write(JSON.stringify(await handler(rest, createTokenRepository(database.db)), null, 2) + '\n');
      return 0;
    } finally {
      await database.close();
    }
  },
};
