import type { FastifyPluginAsync } from 'fastify';
import { zipSync, type Zippable } from 'fflate';
import { toAlertDetail } from '@rendezvous/alerts';
import { createAlertQueryRepository, createRawReportRepository } from '@rendezvous/db';
import type { ApiPluginDependencies } from '../api-plugin-dependencies.ts';
import { RAW_MARGIN_MS, RAW_REPORTS_MAX, evidenceFiles } from '../evidence/evidence-bundle.ts';
import { thresholdsOf } from '../evidence/thresholds.ts';
import { RATE_COST } from '../plugins/rate-limit.ts';
import { errorResponses, idParam } from './schemas.ts';

export interface EvidenceExportOptions extends ApiPluginDependencies {
  /** Raw reports one export holds at most; default RAW_REPORTS_MAX (tests lower it). */
  rawReportsMax?: number;
}

/**
 * Evidence export (issue 14): GET /v1/alerts/:id/evidence.zip — an alert's evidence as files
 * that stand on their own: summary, both tracks (GeoJSON, KML), the raw AIS lines of its vessels
 * over the event ± 2 h as received, the thresholds and detector version, and the alert itself.
 * Any role may read it (as GET /v1/alerts/:id). Bounded: at most `rawReportsMax` raw reports.
 */
export const evidenceExportRoutes: FastifyPluginAsync<EvidenceExportOptions> = async (app, { database, rawReportsMax = RAW_REPORTS_MAX }) => {
  const alerts = createAlertQueryRepository(database.db);
  const raw = createRawReportRepository(database.db);

  app.get<{ Params: { id: number } }>(
    '/v1/alerts/:id/evidence.zip',
    {
      // A bundle reads up to 200,000 raw reports: it costs like a CSV export.
      config: { rateCost: RATE_COST.csvExport },
      schema: {
        tags: ['alerts'],
        summary: "An alert's evidence as a zip: summary.txt (with each file's SHA-256), tracks as GeoJSON and KML, raw AIS lines of the event ± 2 h, thresholds.json, alert.json",
        params: idParam,
        response: {
          200: { description: 'application/zip', content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } } },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const found = await alerts.get(id); // NotFoundError → 404 problem+json
      const alert = toAlertDetail(found.alert, found.evidence, await alerts.history(id));
      const from = new Date(Date.parse(alert.start) - RAW_MARGIN_MS);
      const to = new Date(Date.parse(alert.end) + RAW_MARGIN_MS);
      const mmsis = alert.vesselB ? [alert.vesselA.mmsi, alert.vesselB.mmsi] : [alert.vesselA.mmsi];
      const { reports, capped } = await raw.linesOf(mmsis, from, to, rawReportsMax);
      if (capped) request.log.warn({ alertId: id, limit: rawReportsMax }, 'evidence export capped its raw AIS lines');
      const files = evidenceFiles({ alert, raw: { reports, capped, from, to, limit: rawReportsMax }, thresholds: thresholdsOf(alert.profile, alert.detectorVersion) });
      // Stamped with the alert's last change, not the clock: the same alert gives the same zip.
      const mtime = new Date(alert.updatedAt);
      const entries: Zippable = {};
      for (const f of files) entries[f.name] = [f.bytes, { mtime }];
      const zip = zipSync(entries, { level: 6 });
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="rendezvous-alert-${id}-evidence.zip"`)
        .send(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength));
    },
  );
};
