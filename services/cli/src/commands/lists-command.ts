import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabase, createWatchlistRepository } from '@rendezvous/db';
import { ValidationError } from '@rendezvous/errors';
import { MAX_LIST_BYTES, prepareListSnapshot } from '@rendezvous/watchlists';
import type { Command } from '../command.ts';

const USAGE = `lists import <list-name> <file> [--format ofac-sdn|eu|uk|un|opensanctions|csv|gur] [--by <name>]
       lists list
       lists versions <list-name>
       lists entries <list-name> [--version <n>]`;

export const listsCommand: Command = {
  name: 'lists',
  summary: 'Import watchlists as versioned snapshots; show lists, versions and entries (JSON)',
  usage: 'lists import|list|versions|entries …',
  async run(args, { config, logger, stdout }) {
    const [sub, ...rest] = args;
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { format: { type: 'string' }, by: { type: 'string' }, version: { type: 'string' } },
    });
    const database = createDatabase(config.db, logger);
    const repo = createWatchlistRepository(database.db);
    const print = (value: unknown) => stdout.write(JSON.stringify(value, null, 2) + '\n');
    try {
      switch (sub) {
        case 'import': {
          const [name, file] = positionals;
          if (!name || !file) throw new ValidationError(`usage: ${USAGE.split('\n')[0]}`);
          const info = await stat(file).catch(() => Promise.reject(new ValidationError(`${file}: no such file`)));
          if (info.size > MAX_LIST_BYTES) throw new ValidationError(`${file}: ${Math.round(info.size / 1048576)} MB is over the ${MAX_LIST_BYTES / 1048576} MB limit for one list`);
          const snapshot = prepareListSnapshot({
            name,
            bytes: await readFile(file),
            fileName: path.basename(file),
            ...(values.format ? { format: values.format } : {}),
            importedBy: values.by ?? `cli:${process.env['USER'] ?? 'operator'}`,
          });
          const result = await repo.importSnapshot(snapshot);
          print({ ...result, skipped: result.skipped.length, skippedRows: result.skipped.slice(0, 50), invalidImos: result.invalidImos });
          return 0;
        }
        case 'list':
          print(await repo.lists());
          return 0;
        case 'versions': {
          if (!positionals[0]) throw new ValidationError('usage: lists versions <list-name>');
          print(await repo.versions(positionals[0]));
          return 0;
        }
        case 'entries': {
          if (!positionals[0]) throw new ValidationError('usage: lists entries <list-name> [--version <n>]');
          const version = values.version === undefined ? undefined : Number(values.version);
          if (version !== undefined && !Number.isInteger(version)) throw new ValidationError('--version must be a whole number');
          print(await repo.entries(positionals[0], version));
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
