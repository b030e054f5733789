#!/usr/bin/env bash
# Prepares a machine to run Rendezvous; used by `npm start`, `npm test` and every other npm script.
#   1. Node >= 22.12 (the machine's, else Node 24 from the npm registry into .tools/node)
#   2. dependencies (npm ci when node_modules is missing or stale)
#   3. PostgreSQL+PostGIS and Redis: reachable URLs as given, else Docker compose, else Debian packages
#   4. migrations
#   5. (npm run setup, npm test, npm run bench) Debian's chromium for the browser tests, if missing
# Idempotent: a second run checks and changes nothing. Sourced by scripts/run.sh (exports PATH,
# DATABASE_URL, REDIS_URL); can also be run directly: `npm run setup`. All output goes to stderr.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SETUP_TOOLS="$ROOT/.tools"
# The services' role (rows only) and the schema owner's (migrations): see owner_password below.
DEFAULT_DATABASE_URL="postgres://rendezvous:rendezvous@localhost:5432/rendezvous"
OWNER_PASSWORD_FILE="$ROOT/.data/db-owner-password"
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

# The schema owner (rendezvous_owner) is a superuser of the local cluster: its password is made
# here, once per clone, kept in .data/ (git-ignored, mode 600), and never printed.
owner_password() {
  if [ ! -s "$OWNER_PASSWORD_FILE" ]; then
    mkdir -p "$(dirname "$OWNER_PASSWORD_FILE")"
    (umask 077 && node -e 'process.stdout.write(require("crypto").randomBytes(24).toString("hex"))' >"$OWNER_PASSWORD_FILE")
  fi
  cat "$OWNER_PASSWORD_FILE"
}

probe() { # prints "pg=ok|down|superuser redis=ok|down"
  node "$ROOT/scripts/probe-services.ts"
}

services_ok() {
  local state; state="$(probe)"
  if [ "$state" = "pg=superuser redis=ok" ] && [ "$DATABASE_URL" != "$DEFAULT_DATABASE_URL" ]; then
    say "services: WARNING: the DATABASE_URL role is a superuser; the services need only row rights (see README, Configuration)"
    return 0
  fi
  [ "$state" = "pg=ok redis=ok" ]
}

docker_up() {
  command -v docker >/dev/null 2>&1 || return 1
  docker info >/dev/null 2>&1 || return 1
  say "services: starting db and redis with docker compose"
  # The owner's password is this clone's (a fresh volume takes it; docker-compose.yml's default
  # is only a marked placeholder).
  if docker compose version >/dev/null 2>&1; then
    (cd "$ROOT" && POSTGRES_PASSWORD="$(owner_password)" docker compose up -d --wait db redis >&2)
  else
    (cd "$ROOT" && POSTGRES_PASSWORD="$(owner_password)" docker-compose up -d db redis >&2)
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
  # Two roles (issue 11): rendezvous_owner owns the schema and applies migrations (a superuser:
  # it creates the PostGIS extension, and tests create their own databases); the services connect
  # as rendezvous, which may only read and write rows. A role left over from an older setup (when
  # rendezvous was the superuser owner) is converged: demoted, and what it owned handed over.
  as_postgres psql -q -v ON_ERROR_STOP=1 -v owner_pw="$(owner_password)" -d postgres >&2 <<'SQL' || { fail "could not create the rendezvous roles/database"; return 1; }
SELECT 'CREATE ROLE rendezvous_owner LOGIN SUPERUSER' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rendezvous_owner') \gexec
ALTER ROLE rendezvous_owner LOGIN SUPERUSER PASSWORD :'owner_pw';
SELECT 'CREATE ROLE rendezvous LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rendezvous') \gexec
ALTER ROLE rendezvous LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD 'rendezvous';
SELECT 'CREATE DATABASE rendezvous OWNER rendezvous_owner'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'rendezvous') \gexec
SQL
  local db
  for db in $(as_postgres psql -Atq -d postgres -c "SELECT datname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba WHERE r.rolname = 'rendezvous' OR d.datname = 'rendezvous'"); do
    as_postgres psql -q -v ON_ERROR_STOP=1 -d "$db" -c 'REASSIGN OWNED BY rendezvous TO rendezvous_owner' >&2 ||
      { fail "could not hand database $db over to rendezvous_owner"; return 1; }
  done
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
  # Migrations run as the schema owner. Given a DATABASE_URL of one's own and no
  # DATABASE_MIGRATION_URL, that one role does both (a deployment's choice); the local default
  # is the two roles setup creates.
  if [ -z "${DATABASE_MIGRATION_URL:-}" ]; then
    if [ "$DATABASE_URL" = "$DEFAULT_DATABASE_URL" ]; then
      export DATABASE_MIGRATION_URL="postgres://rendezvous_owner:$(owner_password)@localhost:5432/rendezvous"
    else
      export DATABASE_MIGRATION_URL="$DATABASE_URL"
    fi
  fi
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

# The web app's browser tests and `npm run bench -- web` drive Debian's chromium through
# playwright-core (test/support/browser.ts). Never fatal: without a browser those tests skip and
# say why. CHROMIUM_PATH names a browser of one's own instead.
setup_browser() {
  if [ -n "${CHROMIUM_PATH:-}" ] || [ -x /usr/bin/chromium ]; then return 0; fi
  if ! command -v apt-get >/dev/null 2>&1 || { [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null 2>&1; }; then
    say "browser: no /usr/bin/chromium and no apt-get/root to install it; browser tests will skip (install chromium or set CHROMIUM_PATH)"
    return 0
  fi
  say "browser: installing Debian's chromium for the web app's browser tests"
  local log; log="$(mktemp)"
  if as_root apt-get update -q >"$log" 2>&1 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >>"$log" 2>&1; then
    say "browser: $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
  else
    tail -n 5 "$log" >&2
    say "browser: could not install chromium (see above); browser tests will skip (install chromium or set CHROMIUM_PATH)"
  fi
  rm -f "$log"
  return 0
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -u
  rendezvous_setup || exit 1
  setup_browser
fi
