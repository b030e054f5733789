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
  by_type: Record<string, number>;
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
  // Per cell and type first (byType), then per cell; window sums over the cells give the total
  // before the cap cuts the list.
  const perType = applyAlertFilter(db.selectFrom('alerts'), filter)
    .select([
      cx.as('cx'),
      cy.as('cy'),
      'alerts.type as type',
      sql<number>`count(*)`.as('n'),
      sql<number>`max(alerts.score)`.as('max_score'),
      sql<number>`sum(ST_X(alerts.centroid))`.as('sum_lon'),
      sql<number>`sum(ST_Y(alerts.centroid))`.as('sum_lat'),
      sql<number>`min(ST_X(alerts.centroid))`.as('west'),
      sql<number>`min(ST_Y(alerts.centroid))`.as('south'),
      sql<number>`max(ST_X(alerts.centroid))`.as('east'),
      sql<number>`max(ST_Y(alerts.centroid))`.as('north'),
      sql<number>`min(alerts.id)`.as('min_id'),
    ])
    .groupBy([sql`1`, sql`2`, 'alerts.type']);
  const rows = (await db
    .selectFrom(perType.as('t'))
    .select([
      sql<number>`sum(t.sum_lon) / sum(t.n)`.as('lon'),
      sql<number>`sum(t.sum_lat) / sum(t.n)`.as('lat'),
      sql<string>`sum(t.n)`.as('count'),
      sql<number>`max(t.max_score)`.as('max_score'),
      sql<Record<string, number>>`jsonb_object_agg(t.type, t.n)`.as('by_type'),
      sql<number>`min(t.west)`.as('west'),
      sql<number>`min(t.south)`.as('south'),
      sql<number>`max(t.east)`.as('east'),
      sql<number>`max(t.north)`.as('north'),
      sql<string | null>`CASE WHEN sum(t.n) = 1 THEN min(t.min_id) END`.as('alert_id'),
      sql<string>`sum(sum(t.n)) OVER ()`.as('total'),
      sql<string>`count(*) OVER ()`.as('cells'),
    ])
    .groupBy(['t.cx', 't.cy'])
    // Largest first, then a fixed cell order: the same data always gives the same body (ETag).
    .orderBy(sql`sum(t.n)`, 'desc')
    .orderBy('t.cy')
    .orderBy('t.cx')
    .limit(cap)
    .execute()) as ClusterRow[];
  const clusters = rows.map((r): AlertCluster => {
    const count = Number(r.count);
    const byType: Partial<Record<AlertType, number>> = {};
    // In ALERT_TYPES order, not jsonb's: stable bodies, and a legend can rely on the order.
    for (const type of ALERT_TYPES) if (r.by_type[type]) byType[type] = Number(r.by_type[type]);
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
