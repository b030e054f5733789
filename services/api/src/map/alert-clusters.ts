import { ALERT_TYPES, applyAlertFilter, sql, type AlertFilter, type AlertType, type DatabaseHandle } from '@rendezvous/db';

/**
 * Server-side clustering of the filtered alerts for the map (issue 14): the list's own filter
 * (so a view's clusters count exactly the rows the list would page through), grouped in
 * PostgreSQL by a Web Mercator grid cell whose size follows the zoom. The browser draws a few
 * hundred symbols instead of decoding and clustering 100,000 alerts.
 *
 * The grid is global and aligned to the antimeridian, so a cell never straddles ±180° (a
 * cluster's mean longitude is a plain average) and a cell is the same cell in every view: panning
 * only brings new cells in, and clusters do not jump between requests.
 */

/** Cells per 256 px tile: 64 px cells, the usual clustering distance for point symbols. */
const CELLS_PER_TILE_LOG2 = 2;
export const MAX_ZOOM = 22;
/** Mercator stops at ±85.0511° (the square world); alerts beyond go to its edge cells. */
const MERCATOR_MAX_LAT = 85.0511287798;
/** Clusters one response carries at most (a 4K screen of 64 px cells is about 2,000). */
export const CLUSTER_CAP = 5_000;

export interface ClusterRequest {
  /** The view; required (a map always has one). West > east crosses the antimeridian. */
  filter: AlertFilter & { bbox: NonNullable<AlertFilter['bbox']> };
  zoom: number;
  cap?: number;
}

export interface AlertCluster {
  /** Mean position of the alerts in the cell. */
  lon: number;
  lat: number;
  count: number;
  maxScore: number;
  /** Alerts per type (types without any are left out). */
  byType: Partial<Record<AlertType, number>>;
  /** [west, south, east, north] of the alerts in the cell: where to zoom to open the cluster. */
  bbox: [number, number, number, number];
  /** The alert itself when the cluster is one alert. */
  alertId?: number;
}

export interface ClusterResult {
  zoom: number;
  /** Cell width in degrees of longitude (its height follows Mercator: square on screen). */
  cellDeg: number;
  /** Alerts matching the filter in the view: the sum of every cell's count, capped or not. */
  total: number;
  /** More cells than `cap`: the largest are returned, `total` still counts all. */
  truncated: boolean;
  clusters: AlertCluster[];
}

/** Cells across the world at a zoom (a power of two, so ±180° is always a cell edge). */
export const cellsAcross = (zoom: number) => 2 ** (zoom + CELLS_PER_TILE_LOG2);

interface ClusterRow {
  lon: number;
  lat: number;
  count: string | number;
  max_score: number;
  /** Counts in ALERT_TYPES order. */
  by_type: (string | number)[];
  west: number;
  south: number;
  east: number;
  north: number;
  alert_id: string | number | null;
  total: string | number;
  cells: string | number;
}

export async function clusterAlerts(db: DatabaseHandle['db'], { filter, zoom, cap = CLUSTER_CAP }: ClusterRequest): Promise<ClusterResult> {
  const n = cellsAcross(zoom);
  // Cell indexes in Web Mercator's unit square: x from the antimeridian eastwards, y from the
  // north edge southwards; least() keeps lon = 180 / lat = -85.05 in the last cell.
  const cx = sql<number>`least(floor((ST_X(alerts.centroid) + 180) / 360 * ${n}::float8), ${n - 1}::float8)`;
  const cy = sql<number>`least(floor((0.5 - ln(tan(pi() / 4 + radians(greatest(${-MERCATOR_MAX_LAT}::float8, least(${MERCATOR_MAX_LAT}::float8, ST_Y(alerts.centroid)))) / 2)) / (2 * pi())) * ${n}::float8), ${n - 1}::float8)`;
  // The view as a plain box test on the centroid (alerts_centroid's GiST serves small views, a
  // scan large ones) instead of the list's 4-D `&&&`: the same points (both compare the points'
  // float boxes, edges included), but the list's test builds a 4-D segment per row, which costs
  // five times the whole query when the view holds most of the world. The other filters are the
  // list's own.
  const { bbox, ...rest } = filter;
  const envelope = (w: number, e: number) => sql<boolean>`alerts.centroid && ST_MakeEnvelope(${w}::float8, ${bbox.south}::float8, ${e}::float8, ${bbox.north}::float8, 4326)`;
  const inView = bbox.west <= bbox.east ? envelope(bbox.west, bbox.east) : sql<boolean>`(${envelope(bbox.west, 180)} OR ${envelope(-180, bbox.east)})`;
  // One pass: per cell, a count per type (FILTER), and window sums over the cells for the total
  // before the cap cuts the list.
  const rows = (await applyAlertFilter(db.selectFrom('alerts'), rest)
    .where(inView)
    .select([
      cx.as('cx'),
      cy.as('cy'),
      sql<number>`avg(ST_X(alerts.centroid))`.as('lon'),
      sql<number>`avg(ST_Y(alerts.centroid))`.as('lat'),
      sql<string>`count(*)`.as('count'),
      sql<number>`max(alerts.score)`.as('max_score'),
      sql<number>`min(ST_X(alerts.centroid))`.as('west'),
      sql<number>`min(ST_Y(alerts.centroid))`.as('south'),
      sql<number>`max(ST_X(alerts.centroid))`.as('east'),
      sql<number>`max(ST_Y(alerts.centroid))`.as('north'),
      sql<string | null>`CASE WHEN count(*) = 1 THEN min(alerts.id) END`.as('alert_id'),
      sql<number[]>`ARRAY[${sql.join(ALERT_TYPES.map((type) => sql`count(*) FILTER (WHERE alerts.type = ${type})`))}]`.as('by_type'),
      sql<string>`sum(count(*)) OVER ()`.as('total'),
      sql<string>`count(*) OVER ()`.as('cells'),
    ])
    .groupBy([sql`1`, sql`2`])
    // Largest first, then a fixed cell order: the same data always gives the same body (ETag).
    .orderBy(sql`count(*)`, 'desc')
    .orderBy(sql`2`)
    .orderBy(sql`1`)
    .limit(cap)
    .execute()) as ClusterRow[];
  const clusters = rows.map((r): AlertCluster => {
    const count = Number(r.count);
    const byType: Partial<Record<AlertType, number>> = {};
    // In ALERT_TYPES order: stable bodies, and a legend can rely on the order.
    ALERT_TYPES.forEach((type, i) => {
      const n = Number(r.by_type[i]);
      if (n > 0) byType[type] = n;
    });
    const cluster: AlertCluster = { lon: r.lon, lat: r.lat, count, maxScore: r.max_score, byType, bbox: [r.west, r.south, r.east, r.north] };
    if (r.alert_id !== null) cluster.alertId = Number(r.alert_id);
    return cluster;
  });
  return {
    zoom,
    cellDeg: 360 / n,
    total: rows.length > 0 ? Number(rows[0]!.total) : 0,
    truncated: rows.length > 0 && Number(rows[0]!.cells) > rows.length,
    clusters,
  };
}
