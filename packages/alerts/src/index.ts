// The API (GET /v1/alerts) and the CLI (`alerts`) both use these, so they accept, refuse and
// print exactly the same thing.
export * from './alert-filters.ts';
export * from './alert-view.ts';
export * from './behaviour-view.ts';
export * from './voyage-view.ts';
