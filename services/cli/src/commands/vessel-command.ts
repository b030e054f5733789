import { parseArgs } from 'node:util';
import { classifyMmsi } from '@rendezvous/ais';
import { parseInstant } from '@rendezvous/alerts';
import { createDatabase, createIdentityRepository, createPortCallRepository, createScreeningService, createVesselRepository } from '@rendezvous/db';
import { NotFoundError, ValidationError } from '@rendezvous/errors';
import { loadKnownPorts } from '@rendezvous/geography';
import type { Command } from '../command.ts';
import { vesselVoyages } from './vessel-voyages.ts';

const ANOMALY_RANGE_MS = 31 * 86_400_000;

export const vesselCommand: Command = {
  name: 'vessel',
  summary: "One vessel's identity, identity history, list matches (at --at, default now) and anomalies, as JSON",
  usage: 'vessel <mmsi> [--at <ISO time>] [--port-calls | --voyages [--from <ISO time>] [--to <ISO time>]]',
  async run(args, { config, logger, stdout }) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { at: { type: 'string' }, 'port-calls': { type: 'boolean' }, voyages: { type: 'boolean' }, from: { type: 'string' }, to: { type: 'string' } } });
    const mmsiText = positionals[0];
    if (!mmsiText || !/^\d{1,9}$/.test(mmsiText)) throw new ValidationError('usage: vessel <mmsi> [--at <ISO time>]');
    const at = values.at ? parseInstant('--at', values.at, Date.now()) : new Date();
    const mmsi = Number(mmsiText);
    const database = createDatabase(config.db, logger);
    try {
      if (values['port-calls'] && values.voyages) throw new ValidationError('--port-calls and --voyages: ask for one');
      if (values.voyages) {
        // Voyages (issue 15) as the API gives them: the legs between the calls overlapping [--from, --to].
        const from = values.from ? parseInstant('--from', values.from, Date.now()) : undefined;
        const to = values.to ? parseInstant('--to', values.to, Date.now()) : undefined;
        if (from && to && from > to) throw new ValidationError('--from must not be after --to');
        const knownPorts = await loadKnownPorts(config.detection.portsFile, config.sanctions);
        stdout.write(JSON.stringify(await vesselVoyages(database, mmsi, { from, to }, knownPorts), null, 2) + '\n');
        return 0;
      }
      if (values['port-calls']) {
        // Port calls (issue 15) as the API lists them: overlapping [--from, --to], by arrival.
        const from = values.from ? parseInstant('--from', values.from, Date.now()) : undefined;
        const to = values.to ? parseInstant('--to', values.to, Date.now()) : undefined;
        const calls = await createPortCallRepository(database.db).forVessel(mmsi, { from, to });
        const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
        const portCalls = calls.map((c) => ({
          port: c.portName ?? c.portId,
          country: c.country,
          arrival: iso(c.arrival),
          departure: iso(c.departure),
          hours: c.departure === null ? null : Math.round((c.departure - c.arrival) / 360_000) / 10,
          draughtArrival: c.draughtArrivalM,
          draughtDeparture: c.draughtDepartureM,
          portId: c.portId,
          lon: c.lon,
          lat: c.lat,
          key: c.key,
        }));
        stdout.write(JSON.stringify({ mmsi, portCalls }, null, 2) + '\n');
        return 0;
      }
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
