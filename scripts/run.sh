#!/usr/bin/env bash
# Entry point of the npm scripts: runs setup (scripts/setup.sh), then the requested command with
# the Node it chose. Usage: scripts/run.sh start|test|migrate|cli|bench|typecheck [args…]
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=setup.sh
source "$ROOT/scripts/setup.sh"
command="${1:-}"
shift || true
cd "$ROOT"
case "$command" in
  typecheck)
    setup_node && setup_dependencies || exit 1
    exec node node_modules/typescript/bin/tsc -p tsconfig.json ;;
esac
rendezvous_setup || exit 1
# The web app (packages/web-app) is built whenever its sources are newer than the build, before
# anything serves, tests or measures it.
case "$command" in start|test|bench) node scripts/build-web.ts || exit 1 ;; esac
case "$command" in test|bench) setup_browser ;; esac
case "$command" in
  start) exec node scripts/start.ts "$@" ;;
  test)
    # The JSON report feeds one plain closing line ("vitest: N passed, N failed, N skipped").
    report="$(mktemp)"
    node node_modules/vitest/vitest.mjs run --reporter=default --reporter=json --outputFile.json="$report" "$@"
    status=$?
    node -e 'try { const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`); } catch {}' "$report"
    rm -f "$report"
    exit $status ;;
  migrate) exit 0 ;; # setup has just applied them
  cli) exec node services/cli/src/main.ts "$@" ;;
  bench)
    # The decoder benchmark compares against gpsd's gpsdecode and libais in the same run.
    if ! command -v gpsdecode >/dev/null 2>&1 || ! /usr/bin/python3 -c 'import ais' >/dev/null 2>&1; then
      say "bench: installing the comparison decoders (Debian gpsd-clients, python3-ais)"
      apt_install gpsd-clients python3-ais || say "bench: could not install them; the decoder benchmark will say so"
    fi
    exec node scripts/bench.ts "$@" ;;
  *) echo "usage: scripts/run.sh start|test|migrate|cli|bench|typecheck [args…]" >&2; exit 2 ;;
esac
