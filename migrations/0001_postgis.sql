-- PostGIS provides geography types, GiST indexes and ST_* functions for positions and alerts.
CREATE EXTENSION IF NOT EXISTS postgis;
