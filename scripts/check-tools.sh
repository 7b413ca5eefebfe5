#!/usr/bin/env bash
# Checks that the parts the test suite runs for real are installed; names the package if not.
set -uo pipefail
missing=0
shout() {
    echo "################################################################################" >&2
    echo "# $1" >&2
    echo "################################################################################" >&2
    missing=1
}
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
    shout "PostgreSQL fehlt (initdb/pg_ctl). Installieren: apt-get install postgresql"
fi
if [ ! -x /usr/bin/chromium ]; then
    shout "Chromium fehlt (/usr/bin/chromium) für die Browser-Tests. Installieren: apt-get install chromium"
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    shout "Node.js/npm fehlen. Installieren: apt-get install nodejs npm (Node >= 20.19)"
fi
if ! command -v python3 >/dev/null 2>&1; then
    shout "python3 fehlt (für die Port-Wahl des Test-Clusters). Installieren: apt-get install python3"
fi
if ! command -v haproxy >/dev/null 2>&1 && [ ! -x /usr/sbin/haproxy ]; then
    shout "HAProxy fehlt (für den Test mit zwei Instanzen hinter dem Load Balancer). Installieren: apt-get install haproxy"
fi
if command -v python3 >/dev/null 2>&1 && ! python3 -c 'import prometheus_client.openmetrics.parser' 2>/dev/null; then
    shout "Das Python-Paket prometheus-client fehlt (für den /metrics-Test). Installieren: python3 -m pip install prometheus-client (Debian: apt-get install python3-prometheus-client)"
fi
exit $missing
