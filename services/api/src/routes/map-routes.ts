import type { FastifyPluginAsync } from 'fastify';
import { ALERT_TYPES } from '@rendezvous/db';
import { alertQueryProperties, parseAlertQuery, type AlertQueryInput } from '@rendezvous/alerts';
import type { ApiPluginDependencies } from '../api-plugin-dependencies.ts';
import { CLUSTER_CAP, MAX_ZOOM, clusterAlerts } from '../map/alert-clusters.ts';
import { PORT_MASK_RADIUS_M, portsLayer, stsHubsLayer } from '../map/reference-layers.ts';
import { errorResponses } from './schemas.ts';

// The list's filters, without its paging (a map shows every match at once, in clusters).
const { sort: _sort, limit: _limit, cursor: _cursor, ...filterProperties } = alertQueryProperties;

const clusterQuerystring = {
  type: 'object',
  additionalProperties: false,
  required: ['bbox', 'zoom'],
  properties: {
    ...filterProperties,
    bbox: { ...filterProperties.bbox, description: 'the view: west,south,east,north (degrees); west > east crosses the antimeridian' },
    zoom: { type: 'integer', minimum: 0, maximum: MAX_ZOOM, description: "the map's zoom (256 px tiles): cells are 64 px, 360/2^(zoom+2) degrees wide" },
  },
} as const;

const clusterResponse = {
  type: 'object',
  required: ['zoom', 'cellDeg', 'total', 'truncated', 'clusters'],
  properties: {
    zoom: { type: 'integer' },
    cellDeg: { type: 'number', description: 'cell width in degrees of longitude (cells are square in Web Mercator)' },
    total: { type: 'integer', description: 'alerts matching the filters in the view: the sum of the counts (of every cell, when truncated)' },
    truncated: { type: 'boolean', description: `more than ${CLUSTER_CAP} cells: the largest are returned` },
    clusters: {
      type: 'array',
      items: {
        type: 'object',
        required: ['lon', 'lat', 'count', 'maxScore', 'byType', 'bbox'],
        properties: {
          lon: { type: 'number', description: 'mean position of the alerts in the cell' },
          lat: { type: 'number' },
          count: { type: 'integer' },
          maxScore: { type: 'number' },
          byType: { type: 'object', properties: Object.fromEntries(ALERT_TYPES.map((t) => [t, { type: 'integer' }])), description: 'alerts per type' },
          bbox: { type: 'array', items: { type: 'number' }, minItems: 4, maxItems: 4, description: '[west, south, east, north] of the alerts in the cell' },
          alertId: { type: 'integer', description: 'the alert, when the cluster is one alert' },
        },
      },
    },
  },
} as const;

const layerResponse = (description: string) =>
  ({
    200: {
      description,
      content: {
        'application/geo+json': {
          schema: {
            type: 'object',
            required: ['type', 'features'],
            properties: {
              type: { type: 'string', enum: ['FeatureCollection'] },
              features: { type: 'array', items: { type: 'object', additionalProperties: true } },
            },
          },
        },
      },
    },
    ...errorResponses,
  }) as const;

type ClusterQuery = Omit<AlertQueryInput, 'sort' | 'limit' | 'cursor'> & { bbox: string; zoom: number };

/** Map support for the web app (issue 14): server-side clusters of the filtered alerts, STS hub and port layers (viewer role). */
export const mapRoutes: FastifyPluginAsync<ApiPluginDependencies> = async (app, { config, database }) => {
  // Read once, at start, like the detector: a file it would refuse stops the API with the same
  // configuration error. The bodies never change while the process runs.
  const layers = {
    'sts-hubs': JSON.stringify(stsHubsLayer(config.detection.stsAreasFile)),
    ports: JSON.stringify(await portsLayer(config.detection.portsFile)),
  };

  app.get<{ Querystring: ClusterQuery }>(
    '/v1/alerts/clusters',
    {
      // Same data version and URL, same body: ETag/304 and the shared response cache, as the list.
      config: { conditional: 'alerts' },
      schema: {
        tags: ['alerts', 'map'],
        summary: "Alerts in the view clustered on a grid that follows the zoom (counts, top score, types per cell), with the list's filters",
        querystring: clusterQuerystring,
        response: { 200: clusterResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { zoom, ...filters } = request.query;
      const { filter } = parseAlertQuery(filters);
      return clusterAlerts(database.db, { filter: { ...filter, bbox: filter.bbox! }, zoom });
    },
  );

  const layerRoute = (name: keyof typeof layers, summary: string, description: string) =>
    app.get(
      `/v1/layers/${name}`,
      { schema: { tags: ['map'], summary, response: layerResponse(description) } },
      // Private: behind a token like every route; an hour, as the files change only with a restart.
      async (_request, reply) => reply.type('application/geo+json').header('cache-control', 'private, max-age=3600').send(layers[name]),
    );
  layerRoute(
    'sts-hubs',
    'Known ship-to-ship transfer hubs (STS_AREAS_FILE) as GeoJSON polygons: name, region, sources',
    'Polygons and MultiPolygons with properties name, region and sources; empty when STS_AREAS_FILE=off',
  );
  layerRoute(
    'ports',
    'The port/anchorage points of PORTS_FILE as GeoJSON, each with the radius within which alerts count as in port',
    `Points with properties.radiusM (${PORT_MASK_RADIUS_M} m, the detector's mask); empty when PORTS_FILE is not set`,
  );
};
