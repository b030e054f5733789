import type { AlertDetail, VesselSnapshotView } from '@rendezvous/alerts';
import type { RawReport } from '@rendezvous/db';
import type { EvidenceThresholds } from './thresholds.ts';

export interface SummaryInput {
  alert: AlertDetail;
  raw: { reports: readonly RawReport[]; capped: boolean; from: Date; to: Date; limit: number };
  thresholds: EvidenceThresholds;
  files: { name: string; about: string; sha256: string; bytes: number }[];
}

const TYPE_NAMES: Record<string, string> = {
  rendezvous: 'Rendezvous (two vessels close and slow together)',
  dark_rendezvous: 'Dark rendezvous (two vessels whose AIS went quiet near each other)',
  ais_gap: 'AIS gap (a vessel silent where it should have been heard)',
  loitering: 'Loitering (a vessel slow for hours away from port)',
};

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : `${m} min`;
}

const metres = (m: number | null) => (m === null ? 'n/a' : m >= 10_000 ? `${(m / 1852).toFixed(1)} NM (${Math.round(m)} m)` : `${Math.round(m)} m`);
const utc = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');

function vesselLines(side: string, v: VesselSnapshotView, raw: readonly RawReport[]): string[] {
  const reports = raw.filter((r) => r.mmsi === v.mmsi).length;
  const lines = [
    `  Vessel ${side}: MMSI ${v.mmsi}, IMO ${v.imo ?? 'unknown'}, name ${v.name ?? 'unknown'}, flag ${v.flag ?? 'unknown'}, call sign ${v.callsign ?? 'unknown'}`,
  ];
  if (v.listMatches.length === 0 && v.suspects.length === 0) lines.push('    Lists: no match');
  for (const m of v.listMatches) lines.push(`    Listed: ${m.list} (${m.rule}, confidence ${m.confidence}${m.entryName ? `, entry "${m.entryName}"` : ''})`);
  for (const s of v.suspects) lines.push(`    Suspect #${s.suspectId} (${s.rule}): ${s.reason}`);
  if (v.anomalies.length > 0) lines.push(`    Identity anomalies: ${v.anomalies.join(', ')}`);
  lines.push(`    Raw AIS reports in the bundle: ${reports}`);
  return lines;
}

/**
 * summary.txt: one page a person reads before opening anything else — what was alerted, who,
 * where and when, why it scored what it did, by which rules, and the SHA-256 of every other file.
 */
export function summaryText({ alert, raw, thresholds, files }: SummaryInput): string {
  const out: string[] = [];
  out.push(`RENDEZVOUS EVIDENCE — ALERT ${alert.id}`, '');
  out.push(`Type:      ${TYPE_NAMES[alert.type] ?? alert.type}`);
  out.push(`Key:       ${alert.key}`);
  out.push(`Status:    ${alert.status}${alert.retraction ? ` (retracted: ${alert.retraction.reason ?? 'no reason'}${alert.retraction.replacedBy ? `, replaced by ${alert.retraction.replacedBy}` : ''})` : ''}`);
  out.push(`Triage:    ${alert.triage.state}${alert.triage.by ? ` by ${alert.triage.by}` : ''}${alert.triage.at ? ` at ${utc(alert.triage.at)}` : ''}${alert.triage.note ? ` — "${alert.triage.note}"` : ''}`);
  out.push('');
  out.push('Vessels (identity at the start of the event):');
  out.push(...vesselLines('A', alert.vesselA, raw.reports));
  if (alert.vesselB) out.push(...vesselLines('B', alert.vesselB, raw.reports));
  out.push('');
  out.push(`Where:     ${alert.centroid.lat.toFixed(5)}, ${alert.centroid.lon.toFixed(5)} (lat, lon; WGS-84 centroid)${alert.inPort ? ', near a port' : ''}`);
  out.push(`When:      ${utc(alert.start)} to ${utc(alert.end)} (${duration(alert.durationS)})`);
  if (alert.closestM !== null || alert.medianM !== null) out.push(`Distance:  closest ${metres(alert.closestM)}, median ${metres(alert.medianM)}`);
  if (alert.medianSogA !== null || alert.medianSogB !== null) {
    out.push(`Speed:     median ${alert.medianSogA?.toFixed(1) ?? 'n/a'} kn (A)${alert.vesselB ? `, ${alert.medianSogB?.toFixed(1) ?? 'n/a'} kn (B)` : ''}`);
  }
  if (alert.behaviour) for (const r of alert.behaviour.reasons) out.push(`Finding:   ${r}`);
  out.push('');
  out.push(`Score:     ${alert.score}${alert.watchlists.length ? ` (watchlists: ${alert.watchlists.join(', ')})` : ''}`);
  for (const f of alert.scoreFactors) out.push(`  ${f.points >= 0 ? '+' : ''}${f.points}  ${f.factor}: ${f.detail}`);
  out.push('');
  out.push(`Profile:   ${alert.profile} — ${thresholds.note}`);
  out.push(`Detector:  ${alert.detectorVersion}`);
  out.push(`Detected:  first ${utc(alert.firstDetectedAt)}, last updated ${utc(alert.updatedAt)}`);
  out.push('');
  out.push(`Raw AIS:   ${raw.reports.length} reports from ${utc(raw.from.toISOString())} to ${utc(raw.to.toISOString())} (the event ± 2 h).`);
  if (raw.capped) out.push(`           CAPPED: the export stops at ${raw.limit} reports; later reports in the range are not in this bundle.`);
  if (raw.reports.length === 0) out.push('           None stored: positions ingested before the raw archive (migration 0019) keep no lines.');
  if (!alert.evidence) out.push('Tracks:    no evidence track was stored with this alert; no track files.');
  out.push('');
  out.push('Files (SHA-256):');
  for (const f of files) out.push(`${f.sha256}  ${f.name}`, `    ${f.about}; ${f.bytes} bytes`);
  out.push('', 'Check: `sha256sum -c summary.txt` in the unzipped folder checks every file listed (it warns about the other lines). Times are UTC.', '');
  return out.join('\n');
}
