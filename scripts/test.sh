#!/usr/bin/env bash
# The whole test suite: format, clippy, all tests against real PostgreSQL and
# Redis, the WASM build of shared-types and web (with the SPA size report),
# the nginx config check, and a headless-Chromium check of the built SPA.
#
# Uses GERBANG_TEST_DATABASE_URL / GERBANG_TEST_REDIS_URL when set; otherwise
# starts private PostgreSQL and Redis under .local/ (stopped again at the end).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
total_start=$SECONDS

stage "prerequisites" ensure_native_deps
stage "wasm toolchain" ensure_wasm_toolchain
stage "chromium and chromedriver (browser tests)" ensure_browser

started_pg="" started_redis=""
# Ends what this run started. Under `set -e` its status would become the
# script's, so it always succeeds (with caller-provided PostgreSQL/Redis,
# the last test used to fail and turn a passing run into exit status 1).
cleanup() {
  if [ -n "${API_PID:-}" ]; then kill "$API_PID" 2>/dev/null || true; fi
  if [ -n "${SANDBOX_PID:-}" ]; then kill "$SANDBOX_PID" 2>/dev/null || true; fi
  if [ -n "$started_redis" ]; then stop_private_redis; fi
  if [ -n "$started_pg" ]; then stop_private_postgres; fi
  return 0
}
trap cleanup EXIT

if [ -z "${GERBANG_TEST_DATABASE_URL:-}" ]; then
  stage "private PostgreSQL" start_private_postgres
  started_pg=1
  export GERBANG_TEST_DATABASE_URL="$PRIVATE_PG_URL/postgres"
fi
if [ -z "${GERBANG_TEST_REDIS_URL:-}" ]; then
  stage "private Redis" start_private_redis
  started_redis=1
  export GERBANG_TEST_REDIS_URL="$PRIVATE_REDIS_URL"
fi

drop_test_databases() {
  local dbs
  dbs=$(psql "$GERBANG_TEST_DATABASE_URL" -Atc "select datname from pg_database where datname like 'gerbang\_test\_%'")
  for db in $dbs; do psql "$GERBANG_TEST_DATABASE_URL" -qc "drop database if exists $db" >/dev/null; done
}
stage "drop leftover test databases" drop_test_databases

stage "cargo fmt --check" cargo fmt --all --check
stage "cargo clippy -D warnings" cargo clippy --workspace --all-targets --quiet -- -D warnings

# The SPA bundles first: the browser tests (api/tests/api/browser.rs) drive
# them in headless Chromium against the whole stack.
stage "wasm build (shared-types, web)" build_wasm
spa_first_load_report

run_tests() {
  if command -v cargo-nextest >/dev/null; then
    cargo nextest run --workspace --no-fail-fast
  else
    cargo test --workspace --no-fail-fast
  fi
}
stage "tests (PostgreSQL + Redis)" run_tests
stage "drop test databases" drop_test_databases

# The simulator driven by an independent RouterOS client library.
third_party_client() {
  if ! python3 -c 'import librouteros' 2>/dev/null; then
    python3 -m pip install -q --disable-pip-version-check librouteros==4.2.2 >/dev/null \
      || die "cannot install librouteros from PyPI"
  fi
  cargo build --quiet --bin gerbang-sandbox
  mkdir -p "$LOCAL"
  local ports api http
  # The API port and the next one (api-ssl) must both be free, and one for HTTP.
  ports=$(python3 -c 'import random, socket
def free(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); return True
    except OSError:
        return False
    finally:
        s.close()
while True:
    p = random.randrange(20000, 60000, 2)
    if free(p) and free(p + 1) and free(p + 2):
        print(p, p + 2); break')
  read -r api http <<<"$ports"
  "$CARGO_TARGET_DIR/debug/gerbang-sandbox" --routeros-addr "127.0.0.1:$api" --http-addr "127.0.0.1:$http" \
    >"$LOCAL/third-party-sandbox.log" 2>&1 &
  local pid=$!
  wait_http "http://127.0.0.1:$http/_sandbox" 30 || { cat "$LOCAL/third-party-sandbox.log" >&2; kill "$pid"; return 1; }
  local rc=0
  python3 "$ROOT/sandbox/thirdparty/librouteros_check.py" 127.0.0.1 "$api" || rc=$?
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  return $rc
}
stage "third-party RouterOS client (librouteros)" third_party_client
stage "TypeScript client (regenerate, type-check, Node test against a live stack)" typescript_client_check
stage "API conformance to openapi.json (schemathesis: anonymous, resident, admin)" contract_conformance


check_nginx() {
  if command -v nginx >/dev/null; then
    bash "$ROOT/nginx/check.sh"
  else
    log "nginx not installed: skipping the config check (apt-get install nginx)"
  fi
}
stage "nginx config" check_nginx

# The built SPA, served by the real API, rendered by headless Chromium.
browser_check() {
  if ! command -v chromium >/dev/null; then
    log "chromium not installed: skipping the browser check (apt-get install chromium)"
    return 0
  fi
  local db="gerbang_browser_check" port log_file="$LOCAL/browser-check-api.log"
  mkdir -p "$LOCAL"
  psql "$GERBANG_TEST_DATABASE_URL" -qc "drop database if exists $db" -c "create database $db" >/dev/null
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cargo build --quiet --bin gerbang
  GERBANG__DATABASE__URL="${GERBANG_TEST_DATABASE_URL%/*}/$db" \
  GERBANG__REDIS__URL="$GERBANG_TEST_REDIS_URL" \
  GERBANG__REDIS__KEY_PREFIX="browser-check:" \
  GERBANG__HTTP__BIND="127.0.0.1:$port" \
  GERBANG__HTTP__SPA_DIR="$ROOT/dist" \
    "$CARGO_TARGET_DIR/debug/gerbang" serve >"$log_file" 2>&1 &
  API_PID=$!
  wait_http "http://127.0.0.1:$port/readyz" 60 || { cat "$log_file" >&2; return 1; }
  local profile; profile=$(mktemp -d)
  local dom
  dom=$(timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --virtual-time-budget=10000 --dump-dom "http://127.0.0.1:$port/status" 2>/dev/null)
  rm -rf "$profile"
  kill "$API_PID"; wait "$API_PID" 2>/dev/null || true; API_PID=""
  psql "$GERBANG_TEST_DATABASE_URL" -qc "drop database if exists $db" >/dev/null
  if grep -q 'data-ready="true"' <<<"$dom" && grep -q 'Layanan siap digunakan.' <<<"$dom"; then
    echo "    browser: the SPA rendered the ready status from /api/v1/health" >&2
  else
    echo "$dom" | head -c 3000 >&2
    die "browser check: the SPA did not render the ready status"
  fi
}
stage "browser check (headless Chromium)" browser_check

# The sandbox's Turnstile stand-in in a real browser: implicit render inside a
# form, a token minted cross-origin, the callback and the hidden input filled.
turnstile_check() {
  if ! command -v chromium >/dev/null; then
    log "chromium not installed: skipping the Turnstile stand-in check"
    return 0
  fi
  local http_port api_port log_file="$LOCAL/turnstile-check-sandbox.log"
  http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  api_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cargo build --quiet --bin gerbang-sandbox
  SANDBOX_HTTP_ADDR="127.0.0.1:$http_port" SANDBOX_ROUTEROS_ADDR="127.0.0.1:$api_port" SANDBOX_ROUTERS=1 \
    "$CARGO_TARGET_DIR/debug/gerbang-sandbox" >"$log_file" 2>&1 &
  SANDBOX_PID=$!
  wait_http "http://127.0.0.1:$http_port/_sandbox" 30 || { cat "$log_file" >&2; return 1; }
  local profile dom; profile=$(mktemp -d)
  dom=$(timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --virtual-time-budget=10000 --dump-dom \
    "http://127.0.0.1:$http_port/_sandbox/turnstile/demo" 2>/dev/null)
  rm -rf "$profile"
  kill "$SANDBOX_PID"; wait "$SANDBOX_PID" 2>/dev/null || true; SANDBOX_PID=""
  if grep -q 'token:0.sbx' <<<"$dom" && grep -Eq 'name="cf-turnstile-response"[^>]*value="0.sbx|value="0.sbx[^"]*"[^>]*name="cf-turnstile-response"' <<<"$dom"; then
    echo "    browser: the Turnstile stand-in rendered, minted a token and filled the form" >&2
  else
    echo "$dom" | head -c 3000 >&2
    die "turnstile check: the stand-in widget did not produce a token"
  fi
}
stage "Turnstile stand-in (headless Chromium)" turnstile_check

log "all checks passed in $((SECONDS - total_start))s"
