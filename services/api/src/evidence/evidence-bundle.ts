import { createHash } from 'node:crypto';
import { strToU8 } from 'fflate';
import type { AlertDetail, EvidenceTrackFeature, VesselSnapshotView } from '@rendezvous/alerts';
import type { RawReport } from '@rendezvous/db';
import { tracksKml } from './kml.ts';
import { summaryText } from './summary.ts';
import type { EvidenceThresholds } from './thresholds.ts';

/** Raw AIS lines are looked up this long before the alert's start and after its end. */
export const RAW_MARGIN_MS = 2 * 3_600_000;
/** Reports whose lines an export holds at most (both vessels together); the summary says when it stopped there. */
export const RAW_REPORTS_MAX = 200_000;

/** What an evidence bundle is made of, read by the route. */
export interface EvidenceInput {
  alert: AlertDetail;
  raw: { reports: readonly RawReport[]; capped: boolean; from: Date; to: Date; limit: number };
  thresholds: EvidenceThresholds;
}

/** One file of the bundle: its name, bytes, and what it is (for the summary's list). */
export interface EvidenceFile {
  name: string;
  bytes: Uint8Array;
  about: string;
}

/**
 * Raw lines as the bytes received: stored as latin1 text (one char per byte, as the line splitter
 * read them), so latin1 gives the bytes back; a NUL byte stored as U+2400 (PostgreSQL text cannot
 * hold NUL; packages/ingest position-store.ts) has 0x00 as its low byte, which latin1 writes.
 */
function rawBytes(reports: readonly RawReport[]): Uint8Array {
  let text = '';
  for (const r of reports) text += r.lines + '\n';
  return Buffer.from(text, 'latin1');
}

const json = (value: unknown) => strToU8(JSON.stringify(value, null, 2) + '\n');

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A vessel's label in the files: side, MMSI and name. */
export function vesselLabel(side: 'A' | 'B', v: VesselSnapshotView): string {
  return `${side}: ${v.mmsi}${v.name ? ` ${v.name}` : ''}`;
}

/**
 * The files of an alert's evidence bundle, summary.txt first: it lists the others with their
 * SHA-256, so a copy of the bundle can be checked against it later (or the summary against a
 * record of its own hash). Nothing here reads a clock: the same alert and reports give the same bytes.
 */
export function evidenceFiles(input: EvidenceInput): EvidenceFile[] {
  const { alert } = input;
  const files: EvidenceFile[] = [];
  const tracks: { label: string; feature: EvidenceTrackFeature }[] = [];
  if (alert.evidence) {
    files.push({ name: 'track-a.geojson', bytes: json(alert.evidence.trackA), about: `vessel A's evidence track (GeoJSON Feature, times and SOG per point in properties)` });
    tracks.push({ label: vesselLabel('A', alert.vesselA), feature: alert.evidence.trackA });
    if (alert.evidence.trackB && alert.vesselB) {
      files.push({ name: 'track-b.geojson', bytes: json(alert.evidence.trackB), about: `vessel B's evidence track (GeoJSON Feature)` });
      tracks.push({ label: vesselLabel('B', alert.vesselB), feature: alert.evidence.trackB });
    }
    files.push({ name: 'tracks.kml', bytes: strToU8(tracksKml(`Rendezvous alert ${alert.id} (${alert.type})`, tracks)), about: 'the same tracks as KML (gx:Track with times, and a LineString)' });
  }
  files.push({
    name: 'raw-ais.nmea',
    bytes: rawBytes(input.raw.reports),
    about: `the AIS lines of ${alert.vesselB ? 'both vessels' : 'the vessel'} as received, ${input.raw.from.toISOString()} to ${input.raw.to.toISOString()}, in time order (one report's lines together; a CSV source's row)`,
  });
  files.push({ name: 'thresholds.json', bytes: json(input.thresholds), about: 'the profile thresholds that judged the alert, and the detector version' });
  files.push({ name: 'alert.json', bytes: json(alert), about: 'the alert as GET /v1/alerts/:id returns it' });
  const listed = files.map((f) => ({ name: f.name, about: f.about, sha256: sha256(f.bytes), bytes: f.bytes.length }));
  const summary = summaryText({ ...input, files: listed });
  return [{ name: 'summary.txt', bytes: strToU8(summary), about: 'this summary' }, ...files];
}
