import type { EvidenceTrackFeature } from '@rendezvous/alerts';

/** XML text and attribute escaping: the five characters XML reserves, and no control characters. */
export function xmlEscape(text: string): string {
  return text
    // XML 1.0 allows tab, LF and CR among the C0 controls; anything else would make the file unreadable.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export interface KmlTrack {
  /** The placemark's name, e.g. "A: 626123020 DEMO STAR MERCURY". */
  label: string;
  feature: EvidenceTrackFeature;
}

/** The points of a track feature as (time, lon, lat), whatever its geometry (LineString, Point or none). */
function pointsOf(feature: EvidenceTrackFeature): { when: string; lon: number; lat: number }[] {
  const g = feature.geometry;
  const coordinates = g === null ? [] : g.type === 'Point' ? [g.coordinates] : g.coordinates;
  return coordinates.map(([lon, lat], i) => ({ when: feature.properties.times[i]!, lon, lat }));
}

/**
 * Both evidence tracks as KML 2.2 (OGC 07-147r2): per vessel a timed `gx:Track` (Google Earth's
 * time slider plays the meeting) and the same path as a plain `LineString` with its `TimeSpan`,
 * for viewers that do not read the gx extension. Every text is escaped.
 */
export function tracksKml(title: string, tracks: readonly KmlTrack[]): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">',
    '<Document>',
    `<name>${xmlEscape(title)}</name>`,
  ];
  for (const { label, feature } of tracks) {
    const points = pointsOf(feature);
    out.push('<Folder>', `<name>${xmlEscape(label)}</name>`);
    out.push('<Placemark>', `<name>${xmlEscape(label)} (timed)</name>`, '<gx:Track>');
    for (const p of points) out.push(`<when>${xmlEscape(p.when)}</when>`);
    for (const p of points) out.push(`<gx:coord>${p.lon} ${p.lat} 0</gx:coord>`);
    out.push('</gx:Track>', '</Placemark>');
    if (points.length >= 2) {
      out.push(
        '<Placemark>',
        `<name>${xmlEscape(label)}</name>`,
        `<TimeSpan><begin>${xmlEscape(points[0]!.when)}</begin><end>${xmlEscape(points[points.length - 1]!.when)}</end></TimeSpan>`,
        '<LineString><tessellate>1</tessellate><coordinates>',
        points.map((p) => `${p.lon},${p.lat},0`).join(' '),
        '</coordinates></LineString>',
        '</Placemark>',
      );
    }
    out.push('</Folder>');
  }
  out.push('</Document>', '</kml>', '');
  return out.join('\n');
}
