import { parseArgs } from 'node:util';
import { classifyMmsi } from '@rendezvous/ais';
import { parseInstant } from '@rendezvous/alerts';
import { createDatabase, createIdentityRepository, createScreeningService, createVesselRepository } from '@rendezvous/db';
import { NotFoundError, ValidationError } from '@rendezvous/errors';
import type { Command } from '../command.ts';

const ANOMALY_RANGE_MS = 31 * 86_400_000;

export const vesselCommand: Command = {
  name: 'vessel',
  summary: "One vessel's identity, identity history, list matches (at --at, default now) and anomalies, as JSON",
  usage: 'vessel <mmsi> [--at <ISO time>]',
  async run(args, { config, logger, stdout }) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { at: { type: 'string' } } });
    const mmsiText = positionals[0];
    if (!mmsiText || !/^\d{1,9}$/.test(mmsiText)) throw new ValidationError('usage: vessel <mmsi> [--at <ISO time>]');
    const at = values.at ? parseInstant('--at', values.at, Date.now()) : new Date();
    const mmsi = Number(mmsiText);
    const database = createDatabase(config.db, logger);
    try {
      const vessel = await createVesselRepository(database.db).get(mmsi);
      if (!vessel) throw new NotFoundError(`no vessel with MMSI ${mmsi} has been ingested`);
      const identity = createIdentityRepository(database.db);
      const screening = createScreeningService(database.db);
      stdout.write(
        JSON.stringify(
          {
            vessel: { ...vessel, mmsiCheck: classifyMmsi(mmsi) },
            history: await identity.historyForVessel(mmsi),
            matches: { at: at.toISOString(), matches: await screening.screenMmsi(mmsi, at) },
            // Positions read like the API's: the 31 days up to its last report, at most 500,000.
            anomalies: await identity.anomaliesForVessel(mmsi, {
              from: new Date(vessel.last_seen.getTime() - ANOMALY_RANGE_MS),
              to: new Date(vessel.last_seen.getTime() + 1),
              maxPositions: 500_000,
            }),
          },
          null,
          2,
        ) + '\n',
      );
      return 0;
    } finally {
      await database.close();
    }
  },
};
