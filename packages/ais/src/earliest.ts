/**
 * The earliest instant an AIS report can carry: carriage became mandatory from 2002 (SOLAS
 * chapter V, regulation 19). Ingest rejects older fixes, and the API, reprocessing and the
 * simulator refuse earlier times; this is the one place that date is written.
 */
export const EARLIEST_AIS_MS = Date.UTC(2002, 0, 1);
