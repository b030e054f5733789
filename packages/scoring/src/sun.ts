/**
 * Solar elevation angle (degrees) at a place and time — NOAA's general solar position
 * approximation (fractional-year series; accurate to well under a degree), enough to tell
 * day from night for the "STS at night" risk factor (US 2020 Global Maritime Sanctions Advisory).
 */
export function sunElevationDeg(lon: number, lat: number, ms: number): number {
  const year = new Date(ms).getUTCFullYear();
  const phi = (lat * Math.PI) / 180;
  return elevationDeg(lon, Math.sin(phi), Math.cos(phi), ms, Date.UTC(year, 0, 1), daysIn(year));
}

const DAY_MS = 86_400_000;
const daysIn = (year: number) => ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 366 : 365);

/**
 * The series at `ms` in the UTC year starting at `yearStart` (ms), with the place's latitude as
 * its sine and cosine. The time of day is whole seconds, as Date's getUTCHours/Minutes/Seconds
 * give it, computed here without a Date per call (nightShare calls this every 10 minutes of
 * every event a window scores).
 */
function elevationDeg(lon: number, sinPhi: number, cosPhi: number, ms: number, yearStart: number, daysInYear: number): number {
  const sinceYear = ms - yearStart;
  const dayOfYear = Math.floor(sinceYear / DAY_MS);
  const msOfDay = sinceYear - dayOfYear * DAY_MS;
  const h = Math.floor(msOfDay / 3_600_000);
  const m = Math.floor((msOfDay % 3_600_000) / 60_000);
  const s = Math.floor((msOfDay % 60_000) / 1000);
  const hours = h + m / 60 + s / 3600;
  const g = ((2 * Math.PI) / daysInYear) * (dayOfYear + (hours - 12) / 24);
  const eqTimeMin =
    229.18 * (0.000075 + 0.001868 * Math.cos(g) - 0.032077 * Math.sin(g) - 0.014615 * Math.cos(2 * g) - 0.040849 * Math.sin(2 * g));
  const decl =
    0.006918 - 0.399912 * Math.cos(g) + 0.070257 * Math.sin(g) - 0.006758 * Math.cos(2 * g) + 0.000907 * Math.sin(2 * g) - 0.002697 * Math.cos(3 * g) + 0.00148 * Math.sin(3 * g);
  const trueSolarMin = hours * 60 + eqTimeMin + 4 * lon;
  const hourAngle = ((trueSolarMin / 4 - 180) * Math.PI) / 180;
  const cosZenith = sinPhi * Math.sin(decl) + cosPhi * Math.cos(decl) * Math.cos(hourAngle);
  return 90 - (Math.acos(Math.max(-1, Math.min(1, cosZenith))) * 180) / Math.PI;
}

/** Share (0–1) of [startMs, endMs] with the sun below the horizon, sampled every 10 minutes. */
export function nightShare(lon: number, lat: number, startMs: number, endMs: number): number {
  const step = 600_000;
  const phi = (lat * Math.PI) / 180;
  const [sinPhi, cosPhi] = [Math.sin(phi), Math.cos(phi)];
  let year = Number.NaN;
  let [yearStart, nextYear, days] = [0, -Infinity, 365];
  let night = 0;
  let total = 0;
  for (let t = startMs; t <= endMs; t += step) {
    if (t >= nextYear || t < yearStart) {
      year = new Date(t).getUTCFullYear();
      [yearStart, nextYear, days] = [Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1), daysIn(year)];
    }
    total++;
    // −0.833°: the sun's centre when its upper limb touches the horizon, with refraction.
    if (elevationDeg(lon, sinPhi, cosPhi, t, yearStart, days) < -0.833) night++;
  }
  return total === 0 ? 0 : night / total;
}
