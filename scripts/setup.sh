#!/usr/bin/env bash
# Prepares a machine to run Rendezvous; used by `npm start`, `npm test` and every other npm script.
#   1. Node >= 22.12 (the machine's, else Node 24 from the npm registry into .tools/node)
#   2. dependencies (npm ci when node_modules is missing or stale)
#   3. PostgreSQL+PostGIS and Redis: reachable URLs as given, else Docker compose, else Debian packages
#   4. migrations
# Idempotent: a second run checks and changes nothing. Sourced by scripts/run.sh (exports PATH,
# DATABASE_URL, REDIS_URL); can also be run directly: `npm run setup`. All output goes to stderr.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SETUP_TOOLS="$ROOT/.tools"
DEFAULT_DATABASE_URL="postgres://rendezvous:rendezvous@localhost:5432/rendezvous"
DEFAULT_REDIS_URL="redis://localhost:6379/0"

say() { printf 'setup: %s\n' "$*" >&2; }
fail() {
  printf 'setup: FAILED: %s\n' "$1" >&2
  [ -n "${2:-}" ] && printf 'setup: how to fix: %s\n' "$2" >&2
  return 1
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else fail "need root for: $*" "run as root, install sudo, or set DATABASE_URL/REDIS_URL to running servers"; fi
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"
  else sudo -u postgres "$@"; fi
}

node_ok() { # $1 = node binary; true when >= 22.12
  "$1" -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)' 2>/dev/null
}

setup_node() {
  if command -v node >/dev/null 2>&1 && node_ok node; then
    say "node: using $(command -v node) $(node --version)"
    return 0
  fi
  local bin="$SETUP_TOOLS/node/node_modules/.bin"
  if [ ! -x "$bin/node" ] || ! node_ok "$bin/node"; then
    command -v npm >/dev/null 2>&1 || { fail "no npm to fetch Node 24 with" "install Node.js >= 22.12 (https://nodejs.org) or npm"; return 1; }
    say "node: machine has $(node --version 2>/dev/null || echo none), fetching Node 24 from the npm registry into .tools/node"
    mkdir -p "$SETUP_TOOLS/node"
    (cd "$SETUP_TOOLS/node" && npm install --prefix . --no-save --no-package-lock --no-audit --no-fund node@24 >&2) ||
      { fail "could not install node@24 from the npm registry" "check network access to the npm registry, or install Node.js >= 22.12"; return 1; }
  fi
  export PATH="$bin:$PATH"
  say "node: using .tools/node $(node --version)"
}

setup_dependencies() {
  local stamp="$ROOT/node_modules/.setup-stamp" want
  want="$(node -e 'const c=require("crypto"),f=require("fs");process.stdout.write(c.createHash("sha256").update(f.readFileSync(process.argv[1])).update(process.versions.modules).digest("hex"))' "$ROOT/package-lock.json")"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    say "dependencies: up to date"
    return 0
  fi
  say "dependencies: npm ci"
  (cd "$ROOT" && npm ci --no-audit --no-fund >&2) || { fail "npm ci failed" "see the npm output above; delete node_modules and retry"; return 1; }
  printf '%s' "$want" >"$stamp"
}

probe() { # prints "pg=ok|down redis=ok|down"
  node "$ROOT/scripts/probe-services.ts"
}

services_ok() {
  local state; state="$(probe)"
  [ "$state" = "pg=ok redis=ok" ]
}

docker_up() {
  command -v docker >/dev/null 2>&1 || return 1
  docker info >/dev/null 2>&1 || return 1
  say "services: starting db and redis with docker compose"
  if docker compose version >/dev/null 2>&1; then
    (cd "$ROOT" && docker compose up -d --wait db redis >&2)
  else
    (cd "$ROOT" && docker-compose up -d db redis >&2)
  fi
}

pg_version_installed() { # newest installed server major, or empty
  ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1
}

debian_up() {
  command -v apt-get >/dev/null 2>&1 || return 1
  local pgv pkgs=()
  pgv="$(pg_version_installed)"
  if [ -z "$pgv" ]; then pkgs+=(postgresql); fi
  if [ -n "$pgv" ] && ! dpkg -s "postgresql-$pgv-postgis-3" >/dev/null 2>&1; then pkgs+=("postgresql-$pgv-postgis-3"); fi
  command -v redis-server >/dev/null 2>&1 || pkgs+=(redis-server)
  if [ "${#pkgs[@]}" -gt 0 ]; then
    say "services: installing Debian packages ${pkgs[*]}"
    apt_install "${pkgs[@]}" || return 1
    pgv="$(pg_version_installed)"
    if ! dpkg -s "postgresql-$pgv-postgis-3" >/dev/null 2>&1; then apt_install "postgresql-$pgv-postgis-3" || return 1; fi
  fi
  # PostgreSQL: the distribution's cluster (Debian's pg_ctlcluster runs it as the postgres user).
  if ! pg_lsclusters -h 2>/dev/null | awk -v v="$pgv" '$1==v && $2=="main"' | grep -q .; then
    say "services: creating PostgreSQL $pgv cluster main"
    as_root pg_createcluster "$pgv" main >&2 || return 1
  fi
  if ! pg_lsclusters -h | awk -v v="$pgv" '$1==v && $2=="main" && $4=="online"' | grep -q .; then
    say "services: starting PostgreSQL $pgv/main"
    as_root pg_ctlcluster "$pgv" main start >&2 || { fail "PostgreSQL $pgv/main did not start" "see /var/log/postgresql/postgresql-$pgv-main.log"; return 1; }
  fi
  # Our role and database (superuser, as the docker image's POSTGRES_USER is, so migrations can
  # create extensions and tests can create their own database).
  as_postgres psql -q -v ON_ERROR_STOP=1 -d postgres >&2 <<'SQL' || { fail "could not create the rendezvous role/database"; return 1; }
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rendezvous') THEN
    CREATE ROLE rendezvous LOGIN SUPERUSER PASSWORD 'rendezvous';
  END IF;
END $$;
SELECT 'CREATE DATABASE rendezvous OWNER rendezvous'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'rendezvous') \gexec
SQL
  # Redis: the distribution's service, or a daemon on the distribution's config.
  if ! redis-cli -p 6379 ping >/dev/null 2>&1; then
    say "services: starting redis-server"
    as_root service redis-server start >&2 2>&1 || as_root redis-server /etc/redis/redis.conf --daemonize yes >&2 ||
      { fail "redis-server did not start" "see /var/log/redis/redis-server.log"; return 1; }
    for _ in $(seq 1 50); do redis-cli -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
}

apt_install() {
  local log; log="$(mktemp)"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >"$log" 2>&1; then
    say "services: apt-get install failed once, updating package lists"
    as_root apt-get update -q >"$log" 2>&1
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >"$log" 2>&1 ||
      { tail -n 20 "$log" >&2; fail "apt-get install $* failed" "install them by hand, or set DATABASE_URL/REDIS_URL to running servers"; return 1; }
  fi
  rm -f "$log"
}

setup_services() {
  export DATABASE_URL="${DATABASE_URL:-$DEFAULT_DATABASE_URL}"
  export REDIS_URL="${REDIS_URL:-$DEFAULT_REDIS_URL}"
  if services_ok; then
    say "services: PostgreSQL and Redis reachable at the configured URLs"
    return 0
  fi
  if docker_up && services_ok; then
    say "services: using docker compose (db, redis)"
    return 0
  fi
  if debian_up; then
    local state
    for _ in $(seq 1 50); do state="$(probe)"; [ "$state" = "pg=ok redis=ok" ] && break; sleep 0.2; done
    if [ "$state" = "pg=ok redis=ok" ]; then
      say "services: using Debian packages (PostgreSQL cluster $(pg_version_installed)/main, redis-server)"
      return 0
    fi
    fail "services started but not reachable ($state) at DATABASE_URL/REDIS_URL" "check that the URLs point at localhost:5432 and localhost:6379, or unset them"
    return 1
  fi
  fail "no PostgreSQL+PostGIS/Redis reachable ($(probe)), no Docker engine, and no apt-get" \
    "start PostgreSQL with PostGIS and Redis yourself and set DATABASE_URL and REDIS_URL"
}

setup_migrate() {
  node "$ROOT/scripts/migrate.ts" >&2 || { fail "migrations failed" "see the error above"; return 1; }
}

rendezvous_setup() {
  setup_node && setup_dependencies && setup_services && setup_migrate
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -u
  rendezvous_setup || exit 1
fi
