#!/bin/sh
# Runs once, when the db container initialises an empty volume (docker-entrypoint-initdb.d).
# POSTGRES_USER (rendezvous_owner) owns the schema and applies migrations; the services connect
# as `rendezvous`, which may only read and write rows (the migrator grants it that).
set -eu
psql -v ON_ERROR_STOP=1 -v pw="${RENDEZVOUS_DB_PASSWORD}" --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE rendezvous LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'pw';
SQL
