import { parseArgs } from 'node:util';
import { createDatabase, createSuspectRepository } from '@rendezvous/db';
import { ValidationError } from '@rendezvous/errors';
import type { Command } from '../command.ts';

const USAGE = `suspects add (--imo <imo> | --mmsi <mmsi>) --reason <text> --by <analyst>
       suspects remove <id> --reason <text> --by <analyst>
       suspects list [--all]
       suspects audit <id>`;

const int = (v: string | undefined, flag: string) => {
  if (v === undefined) return null;
  if (!/^\d{1,9}$/.test(v)) throw new ValidationError(`${flag} must be a number of up to 9 digits`);
  return Number(v);
};

export const suspectsCommand: Command = {
  name: 'suspects',
  summary: "Add or remove analysts' suspect vessels (by IMO or MMSI), with reason and audit trail",
  usage: 'suspects add|remove|list|audit …',
  async run(args, { config, logger, stdout }) {
    const [sub, ...rest] = args;
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { imo: { type: 'string' }, mmsi: { type: 'string' }, reason: { type: 'string' }, by: { type: 'string' }, all: { type: 'boolean' } },
    });
    const database = createDatabase(config.db, logger);
    const repo = createSuspectRepository(database.db);
    const print = (value: unknown) => stdout.write(JSON.stringify(value, null, 2) + '\n');
    try {
      switch (sub) {
        case 'add':
          if (!values.reason || !values.by) throw new ValidationError(`usage: ${USAGE.split('\n')[0]}`);
          print(await repo.add({ imo: int(values.imo, '--imo'), mmsi: int(values.mmsi, '--mmsi'), reason: values.reason, actor: values.by }));
          return 0;
        case 'remove': {
          const id = int(positionals[0], '<id>');
          if (id === null || !values.reason || !values.by) throw new ValidationError('usage: suspects remove <id> --reason <text> --by <analyst>');
          print(await repo.remove({ id, reason: values.reason, actor: values.by }));
          return 0;
        }
        case 'list':
          print(await repo.list({ includeRemoved: values.all === true }));
          return 0;
        case 'audit': {
          const id = int(positionals[0], '<id>');
          if (id === null) throw new ValidationError('usage: suspects audit <id>');
          print(await repo.audit(id));
          return 0;
        }
        default:
          throw new ValidationError(`usage:\n  ${USAGE}`);
      }
    } finally {
      await database.close();
    }
  },
};
