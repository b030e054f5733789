import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's Prometheus registry (HTTP and process metrics); /metrics renders it. */
    metricsRegistry: Registry;
  }
}

/** Latency buckets (s): the API's goal is a filtered page under 50 ms at p99 (issue 6). */
const LATENCY_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * HTTP request counts and latency by route, method and status, plus the Node process metrics,
 * in a registry of this app (tests build several apps in one process). The route label is the
 * route's pattern (`/v1/alerts/:id`), never the URL, and `unmatched` for unknown URLs: label
 * cardinality stays bounded whatever clients send.
 */
async function metricsImpl(app: FastifyInstance): Promise<void> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'rendezvous_api_' });
  const labelNames = ['route', 'method', 'status'] as const;
  const requests = new Counter({ name: 'rendezvous_http_requests_total', help: 'HTTP requests answered, by route pattern, method and status', labelNames, registers: [registry] });
  const duration = new Histogram({
    name: 'rendezvous_http_request_duration_seconds',
    help: 'Time from receiving a request to sending its response, by route pattern, method and status',
    labelNames,
    buckets: LATENCY_BUCKETS_S,
    registers: [registry],
  });
  app.decorate('metricsRegistry', registry);
  // The labelled children, kept by label values: prom-client otherwise sorts and joins the label
  // object on every observation (a few per cent of a 304 poll's CPU). Bounded like the labels.
  const children = new Map<string, { count: () => void; observe: (s: number) => void }>();
  const childOf = (route: string, method: string, status: number) => {
    const key = `${route} ${method} ${status}`;
    let child = children.get(key);
    if (!child) {
      const labels = { route, method, status: String(status) };
      const [counter, histogram] = [requests.labels(labels), duration.labels(labels)];
      child = { count: () => counter.inc(), observe: (s) => histogram.observe(s) };
      children.set(key, child);
    }
    return child;
  };
  app.addHook('onResponse', (request, reply, done) => {
    const child = childOf(request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched'), request.method, reply.statusCode);
    child.count();
    child.observe(reply.elapsedTime / 1000);
    done();
  });
}

export const metricsPlugin = fp(metricsImpl, { name: 'rendezvous-metrics', fastify: '5.x' });
