/**
 * Solar elevation angle (degrees) at a place and time — NOAA's general solar position
 * approximation (fractional-year series; accurate to well under a degree), enough to tell
 * day from night for the "STS at night" risk factor (US 2020 Global Maritime Sanctions Advisory).
 */
export function sunElevationDeg(lon: number, lat: number, ms: number): number {
  const date = new Date(ms);
  const start = Date.UTC(date.getUTCFullYear(), 0, 1);
  const dayOfYear = Math.floor((ms - start) / 86_400_000);
  const hours = date.getUTCHours() + date.getUTCMinutes() / 60 + date.getUTCSeconds() / 3600;
  const daysInYear = (date.getUTCFullYear() % 4 === 0 && date.getUTCFullYear() % 100 !== 0) || date.getUTCFullYear() % 400 === 0 ? 366 : 365;
  const g = ((2 * Math.PI) / daysInYear) * (dayOfYear + (hours - 12) / 24);
  const eqTimeMin =
    229.18 * (0.000075 + 0.001868 * Math.cos(g) - 0.032077 * Math.sin(g) - 0.014615 * Math.cos(2 * g) - 0.040849 * Math.sin(2 * g));
  const decl =
    0.006918 - 0.399912 * Math.cos(g) + 0.070257 * Math.sin(g) - 0.006758 * Math.cos(2 * g) + 0.000907 * Math.sin(2 * g) - 0.002697 * Math.cos(3 * g) + 0.00148 * Math.sin(3 * g);
  const trueSolarMin = hours * 60 + eqTimeMin + 4 * lon;
  const hourAngle = ((trueSolarMin / 4 - 180) * Math.PI) / 180;
  const phi = (lat * Math.PI) / 180;
  const cosZenith = Math.sin(phi) * Math.sin(decl) + Math.cos(phi) * Math.cos(decl) * Math.cos(hourAngle);
  return 90 - (Math.acos(Math.max(-1, Math.min(1, cosZenith))) * 180) / Math.PI;
}

/** Share (0–1) of [startMs, endMs] with the sun below the horizon, sampled every 10 minutes. */
export function nightShare(lon: number, lat: number, startMs: number, endMs: number): number {
  const step = 600_000;
  let night = 0;
  let total = 0;
  for (let t = startMs; t <= endMs; t += step) {
    total++;
    // −0.833°: the sun's centre when its upper limb touches the horizon, with refraction.
    if (sunElevationDeg(lon, lat, t) < -0.833) night++;
  }
  return total === 0 ? 0 : night / total;
}
