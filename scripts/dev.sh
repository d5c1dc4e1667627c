#!/usr/bin/env bash
# Runs gerbang locally with everything it needs: private PostgreSQL and Redis
# under .local/ (unless GERBANG__DATABASE__URL / GERBANG__REDIS__URL are set),
# migrations, the sandbox (simulated router + fakes), the API serving the SPA
# on the same origin, and the worker. Prints where to click. Ctrl-C stops
# everything it started.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

API_ADDR="${GERBANG__HTTP__BIND:-127.0.0.1:8080}"
PIDS=()
started_pg="" started_redis=""
cleanup() {
  trap - EXIT INT TERM
  log "stopping"
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "$started_redis" ] && stop_private_redis
  [ -n "$started_pg" ] && stop_private_postgres
  exit 0
}
trap cleanup EXIT INT TERM

stage "prerequisites" ensure_native_deps
stage "wasm toolchain" ensure_wasm_toolchain

if [ -z "${GERBANG__DATABASE__URL:-}" ]; then
  stage "private PostgreSQL (.local/pg, port $PG_PORT)" start_private_postgres
  started_pg=1
  psql "$PRIVATE_PG_URL/postgres" -Atc "select 1 from pg_database where datname = 'gerbang'" | grep -q 1 \
    || psql "$PRIVATE_PG_URL/postgres" -qc "create database gerbang"
  export GERBANG__DATABASE__URL="$PRIVATE_PG_URL/gerbang"
fi
if [ -z "${GERBANG__REDIS__URL:-}" ]; then
  stage "private Redis (.local/redis, port $REDIS_PORT)" start_private_redis
  started_redis=1
  export GERBANG__REDIS__URL="$PRIVATE_REDIS_URL"
fi

stage "build SPA (Trunk, release)" build_wasm
stage "build server and sandbox" cargo build --quiet --bin gerbang --bin gerbang-sandbox
BIN="$CARGO_TARGET_DIR/debug"
# Local http demo: cookies without Secure, links to this address.
export GERBANG__SESSION__COOKIE_SECURE=false
export GERBANG__HTTP__PUBLIC_URL="http://$API_ADDR"
export GERBANG__MIDTRANS__NOTIFICATION_URL="http://$API_ADDR/api/v1/payments/midtrans/notification"
stage "migrate" "$BIN/gerbang" migrate
stage "demo data (router 'sandbox', admin, resident 081200000001, teacher guru, 4 packages)" "$BIN/gerbang" demo \
  --router 127.0.0.1:18728 --router-user admin --router-password sandbox \
  --login-url http://127.0.0.1:18080/login

mkdir -p "$LOCAL/logs"
export GERBANG__HTTP__SPA_DIR="$ROOT/dist"
export GERBANG__HTTP__BIND="$API_ADDR"
"$BIN/gerbang-sandbox" > >(sed 's/^/[sandbox] /') 2>&1 &
PIDS+=($!)
"$BIN/gerbang" serve > >(sed 's/^/[api] /') 2>&1 &
PIDS+=($!)
"$BIN/gerbang" worker > >(sed 's/^/[worker] /') 2>&1 &
PIDS+=($!)

wait_http "http://$API_ADDR/readyz" 60 || die "the API did not become ready (see the [api] lines above)"
wait_http "http://127.0.0.1:18080/_sandbox" 30 || die "the sandbox did not start (see the [sandbox] lines above)"
# A demo phone on the simulated hotspot LAN at this machine's loopback address,
# so the captive flow in a desktop browser reaches the router's login page.
DEMO_MAC="00:1A:2B:3C:4D:01"
curl -fsS -X POST -H 'Content-Type: application/json' \
  -d "{\"mac\":\"$DEMO_MAC\",\"ip\":\"127.0.0.1\",\"host_name\":\"demo-phone\"}" \
  http://127.0.0.1:18080/_sandbox/routeros/router1/devices >/dev/null \
  || die "could not attach the demo phone to the simulated router"
CAPTIVE_URL="http://$API_ADDR/captive?ip=127.0.0.1&mac=$DEMO_MAC&link-login-only=http%3A%2F%2F127.0.0.1%3A18080%2Flogin&dst=http%3A%2F%2Fexample.com%2F"

cat <<TXT

  gerbang is running. Open:
    Captive portal (as a phone on the hotspot, log in as 081200000001):
                              $CAPTIVE_URL
    SPA (resident dashboard)  http://$API_ADDR/
    Admin dashboard           http://$API_ADDR/admin   (admin / gerbang-demo)
    Staff / teacher page      http://$API_ADDR/staf    (guru / guru-demo-2026; create the hotspot
                              account on /admin/staf → Sinkronkan dari router → Buat akun hotspot)
    API docs                  http://$API_ADDR/api/docs
    OpenAPI contract          http://$API_ADDR/api/openapi.json
    Readiness / metrics       http://$API_ADDR/readyz   http://$API_ADDR/metrics
    Sandbox (router + fakes)  http://127.0.0.1:18080/_sandbox   RouterOS API 127.0.0.1:18728 (admin/sandbox)
    WhatsApp inbox (OTP codes) http://127.0.0.1:18080/_sandbox/whatsapp/messages
    Midtrans (fake)           pay on the page POST /api/v1/purchases returns; orders at http://127.0.0.1:18080/_sandbox/midtrans/orders/{order_id}
    Demo logins               admin / gerbang-demo (/admin)   guru / guru-demo-2026 (/staf)   resident 081200000001 (OTP on WhatsApp)
    PostgreSQL                ${GERBANG__DATABASE__URL}
    Redis                     ${GERBANG__REDIS__URL}

  Ctrl-C stops everything.

TXT
wait -n "${PIDS[@]}"
die "a process exited; stopping the rest"
