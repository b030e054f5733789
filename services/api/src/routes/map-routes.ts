import type { FastifyPluginAsync } from 'fastify';
import { ALERT_TYPES } from '@rendezvous/db';
import { alertQueryProperties, parseAlertQuery, type AlertQueryInput } from '@rendezvous/alerts';
import type { ApiPluginDependencies } from '../api-plugin-dependencies.ts';
import { CLUSTER_CAP, MAX_ZOOM, clusterAlerts } from '../map/alert-clusters.ts';
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

type ClusterQuery = Omit<AlertQueryInput, 'sort' | 'limit' | 'cursor'> & { bbox: string; zoom: number };

/** Map support for the web app (issue 14): server-side clusters of the filtered alerts, STS hub and port layers. */
export const mapRoutes: FastifyPluginAsync<ApiPluginDependencies> = async (app, { database }) => {
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
};
