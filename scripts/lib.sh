# Shared helpers for scripts/dev.sh, scripts/test.sh and .ci/run. Source it.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"          # git-ignored: private PostgreSQL/Redis, logs
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
# The WASM build uses another compiler on Debian machines; keep its artifacts apart.
WASM_TARGET_DIR="${WASM_TARGET_DIR:-$CARGO_TARGET_DIR/wasm}"
PG_PORT="${GERBANG_LOCAL_PG_PORT:-55432}"
REDIS_PORT="${GERBANG_LOCAL_REDIS_PORT:-56379}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# stage NAME CMD...: runs CMD and prints how long it took.
stage() {
  local name="$1"; shift
  local start=$SECONDS
  log "$name"
  "$@"
  local rc=$?
  printf '    %s: %ss\n' "$name" "$((SECONDS - start))" >&2
  return $rc
}

is_root() { [ "$(id -u)" = 0 ]; }

APT_UPDATED=""
# apt_install PKG...: installs Debian packages as root, or says exactly what to run.
apt_install() {
  [ $# -gt 0 ] || return 0
  if ! is_root; then
    die "missing packages; run: sudo apt-get update && sudo apt-get install -y $*"
  fi
  if [ -z "$APT_UPDATED" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed"
    APT_UPDATED=1
  fi
  log "installing: $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || die "apt-get install $* failed"
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1; }

# Native prerequisites: PostgreSQL server binaries, Redis, curl.
ensure_native_deps() {
  local missing=()
  [ -n "$(pg_bin)" ] || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v curl >/dev/null || missing+=(curl)
  command -v cc >/dev/null || missing+=(build-essential)
  apt_install "${missing[@]}"
  command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs)"
}

# The WASM toolchain. With rustup and the wasm32 target installed, use it;
# otherwise use Debian's rustc-web (std built from source) — see README, "First run on a fresh machine".
WASM_MODE=""
ensure_wasm_toolchain() {
  if command -v rustup >/dev/null && rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown; then
    WASM_MODE=rustup
  else
    local missing=()
    dpkg -s rustc-web >/dev/null 2>&1 || missing+=(rustc-web)
    dpkg -s cargo-web >/dev/null 2>&1 || missing+=(cargo-web)
    dpkg -s rust-web-src >/dev/null 2>&1 || missing+=(rust-web-src)
    dpkg -s lld-22 >/dev/null 2>&1 || missing+=(lld-22)
    apt_install "${missing[@]}"
    WASM_MODE=debian
  fi
  command -v wasm-opt >/dev/null || apt_install binaryen
  local bindgen_version
  bindgen_version=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' "$ROOT/Cargo.lock")
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $bindgen_version\$"; then
    log "installing wasm-bindgen-cli $bindgen_version (about 3 minutes)"
    cargo install wasm-bindgen-cli --version "$bindgen_version" --locked \
      || cargo install wasm-bindgen-cli --version "$bindgen_version" \
      || die "cannot install wasm-bindgen-cli $bindgen_version"
  fi
  if ! trunk --version 2>/dev/null | grep -q "trunk 0\.21\."; then
    log "installing trunk 0.21 (6-10 minutes)"
    cargo install trunk --version '~0.21' --locked || die "cannot install trunk"
  fi
}

# Runs a cargo/trunk command for the wasm32 target in the detected mode.
wasm_env() {
  if [ "$WASM_MODE" = debian ]; then
    PATH="/usr/bin:$HOME/.cargo/bin:$PATH" RUSTC_BOOTSTRAP=1 \
      CARGO_UNSTABLE_BUILD_STD=std,panic_abort CARGO_TARGET_DIR="$WASM_TARGET_DIR" "$@"
  else
    CARGO_TARGET_DIR="$WASM_TARGET_DIR" "$@"
  fi
}

# Builds shared-types for wasm32 and the SPA into dist/.
build_wasm() {
  # Three bundles: the resident pages (dist/), the captive entry
  # (dist/captive/, served at /captive), so the pop-up's first load carries
  # only the login flow, and the admin dashboard (dist/admin/, at /admin/…).
  ( cd "$ROOT" \
    && wasm_env cargo build --quiet --target wasm32-unknown-unknown -p shared-types \
    && wasm_env cargo build --quiet --target wasm32-unknown-unknown -p web --profile wasm-release \
    && wasm_env trunk --quiet build --release \
    && wasm_env trunk --quiet build --release true --dist dist/captive --public-url /captive/ web/captive.html \
    && wasm_env trunk --quiet build --release true --dist dist/admin --public-url /admin/ web/admin.html )
}

# Chromium and its driver, for browser checks.
ensure_browser() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  apt_install "${missing[@]}"
}

# Starts a private PostgreSQL cluster under .local/pg (port $PG_PORT) unless running.
# Where the private cluster lives: .local/pg, unless (as root) the postgres
# user cannot reach the checkout, e.g. one under a private home folder.
pg_dir() {
  if is_root && ! runuser -u postgres -- test -x "$ROOT" 2>/dev/null; then
    echo "/var/tmp/gerbang-pg-$(printf '%s' "$ROOT" | md5sum | cut -c1-8)"
  else
    echo "$LOCAL/pg"
  fi
}

start_private_postgres() {
  local bin; bin=$(pg_bin)
  local dir; dir=$(pg_dir)
  local data="$dir/data"
  mkdir -p "$dir"
  local as=()
  if is_root; then
    # initdb refuses to run as root: the cluster belongs to the postgres user.
    id postgres >/dev/null 2>&1 || die "user 'postgres' missing (is the postgresql package installed?)"
    chown postgres "$dir"
    as=(runuser -u postgres --)
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    log "creating a private PostgreSQL cluster in $dir"
    "${as[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  fi
  if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
    "${as[@]}" "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
      -o "-p $PG_PORT -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null \
      || { tail -n 20 "$dir/server.log" >&2; die "PostgreSQL did not start"; }
  fi
  PRIVATE_PG_URL="postgres://postgres@127.0.0.1:$PG_PORT"
}

stop_private_postgres() {
  local bin; bin=$(pg_bin)
  local data; data="$(pg_dir)/data"
  [ -f "$data/postmaster.pid" ] || return 0
  if is_root; then
    runuser -u postgres -- "$bin/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 || true
  else
    "$bin/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 || true
  fi
}

# Starts a private Redis under .local/redis (port $REDIS_PORT) unless running.
start_private_redis() {
  mkdir -p "$LOCAL/redis"
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
      --dir "$LOCAL/redis" --pidfile "$LOCAL/redis/redis.pid" --logfile "$LOCAL/redis/redis.log" \
      --daemonize yes >/dev/null || die "redis-server did not start"
    for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 || die "redis-server did not answer"
  fi
  PRIVATE_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
}

stop_private_redis() {
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
}

# wait_http URL SECONDS: waits until URL answers 200.
wait_http() {
  local url="$1" limit="$2" i
  for ((i = 0; i < limit * 5; i++)); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

# Gzipped size of what a browser downloads for the SPA's first load.
# Gzip sizes of what a first visit downloads (HTML, JS, WASM, CSS; the SPA
# uses system fonts). The captive entry must stay within SPA_BUDGET_KB.
SPA_BUDGET_KB="${SPA_BUDGET_KB:-200}"
first_load_of() {
  local dir="$1" label="$2" total=0 f raw gz
  [ -f "$dir/index.html" ] || die "no $dir/index.html: build the SPA first"
  printf '    %-44s %10s %10s\n' "$label" "bytes" "gzip -9" >&2
  for f in "$dir"/index.html "$dir"/*.js "$dir"/*.wasm "$dir"/*.css; do
    [ -f "$f" ] || continue
    raw=$(stat -c %s "$f"); gz=$(gzip -9c "$f" | wc -c)
    total=$((total + gz))
    printf '    %-44s %10d %10d\n' "$(basename "$f")" "$raw" "$gz" >&2
  done
  printf '    %-44s %10s %10d (%d KB)\n' "total transferred (compressed)" "" "$total" "$((total / 1024))" >&2
  FIRST_LOAD_BYTES=$total
}
spa_first_load_report() {
  first_load_of "$ROOT/dist/captive" "captive entry /captive (dist/captive/)"
  local captive=$FIRST_LOAD_BYTES
  first_load_of "$ROOT/dist" "resident pages (dist/)"
  first_load_of "$ROOT/dist/admin" "admin dashboard /admin (dist/admin/)"
  ADMIN_FIRST_LOAD_BYTES=$FIRST_LOAD_BYTES
  if [ "$captive" -gt $((SPA_BUDGET_KB * 1024)) ]; then
    die "the captive entry's first load is $((captive / 1024)) KB, over the ${SPA_BUDGET_KB} KB budget"
  fi
  echo "    captive entry first load: $((captive / 1024)) KB of ${SPA_BUDGET_KB} KB budget" >&2
  echo "    admin dashboard first load: $((ADMIN_FIRST_LOAD_BYTES / 1024)) KB (aim: 350 KB)" >&2
}

# A whole gerbang for contract tests (the TypeScript client's Node test, the
# schemathesis run): a fresh database with the demo data, the sandbox on free
# ports (simulated router + fake WhatsApp/Midtrans/Turnstile), and the API
# pointed at it. Sets CONTRACT_API_URL, CONTRACT_SANDBOX_URL and the pids
# CONTRACT_PIDS; `stop_contract_stack` ends them and drops the database.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
CONTRACT_DB="gerbang_contract"
start_contract_stack() {
  local base="${GERBANG_TEST_DATABASE_URL%/*}" api_port sb_http sb_api log_dir="$LOCAL/contract"
  mkdir -p "$log_dir"
  api_port=$(free_port); sb_http=$(free_port); sb_api=$(free_port)
  cargo build --quiet --bin gerbang --bin gerbang-sandbox
  local bin="$CARGO_TARGET_DIR/debug"
  PGOPTIONS='-c client_min_messages=warning' psql "$GERBANG_TEST_DATABASE_URL" -qc "drop database if exists $CONTRACT_DB" \
    -c "create database $CONTRACT_DB" >/dev/null
  SANDBOX_HTTP_ADDR="127.0.0.1:$sb_http" SANDBOX_ROUTEROS_ADDR="127.0.0.1:$sb_api" SANDBOX_ROUTERS=1 \
    "$bin/gerbang-sandbox" >"$log_dir/sandbox.log" 2>&1 &
  CONTRACT_PIDS=($!)
  CONTRACT_SANDBOX_URL="http://127.0.0.1:$sb_http"
  wait_http "$CONTRACT_SANDBOX_URL/_sandbox" 30 || { cat "$log_dir/sandbox.log" >&2; return 1; }
  export GERBANG__DATABASE__URL="$base/$CONTRACT_DB"
  export GERBANG__REDIS__URL="$GERBANG_TEST_REDIS_URL"
  # Its own Redis keys each time: a run's OTP cooldowns and rate limits
  # (they outlive the database) must not meet the next stack's.
  export GERBANG__REDIS__KEY_PREFIX="contract-$(date +%s%N):"
  export GERBANG__HTTP__BIND="127.0.0.1:$api_port"
  export GERBANG__HTTP__PUBLIC_URL="http://127.0.0.1:$api_port"
  export GERBANG__SESSION__COOKIE_SECURE=false
  export GERBANG__MIDTRANS__SNAP_URL="$CONTRACT_SANDBOX_URL/midtrans/snap/v1"
  export GERBANG__MIDTRANS__API_URL="$CONTRACT_SANDBOX_URL/midtrans/v2"
  export GERBANG__FONNTE__BASE_URL="$CONTRACT_SANDBOX_URL/fonnte"
  export GERBANG__TURNSTILE__BASE_URL="$CONTRACT_SANDBOX_URL/turnstile/v0"
  export GERBANG__TURNSTILE__SCRIPT_URL="$CONTRACT_SANDBOX_URL/turnstile/v0/api.js"
  "$bin/gerbang" migrate >"$log_dir/migrate.log" 2>&1 || { cat "$log_dir/migrate.log" >&2; return 1; }
  "$bin/gerbang" demo --router "127.0.0.1:$sb_api" --router-user admin --router-password sandbox \
    --login-url "$CONTRACT_SANDBOX_URL/login" >"$log_dir/demo.log" 2>&1 || { cat "$log_dir/demo.log" >&2; return 1; }
  "$bin/gerbang" serve >"$log_dir/api.log" 2>&1 &
  CONTRACT_PIDS+=($!)
  CONTRACT_API_URL="http://127.0.0.1:$api_port/api/v1"
  wait_http "http://127.0.0.1:$api_port/readyz" 60 || { cat "$log_dir/api.log" >&2; return 1; }
}
stop_contract_stack() {
  local pid
  for pid in "${CONTRACT_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${CONTRACT_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  CONTRACT_PIDS=()
  psql "$GERBANG_TEST_DATABASE_URL" -qc "drop database if exists $CONTRACT_DB" >/dev/null || true
}

# The TypeScript client (clients/typescript): installed from its lock file,
# regenerated from openapi.json and compared with what is committed,
# type-checked with its example, then its Node test run against a live stack.
# (A subshell: the stack's GERBANG__* settings stay out of later stages.)
typescript_client_check() (
  command -v npm >/dev/null || die "npm (Node.js 20+) is needed for the TypeScript client check"
  local dir="$ROOT/clients/typescript"
  (cd "$dir" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci failed in clients/typescript"
  (cd "$dir" && npm run --silent generate >/dev/null 2>&1) || die "openapi-typescript failed"
  # Any difference from the commit, an untracked or a deleted file included.
  if [ -n "$(git -C "$ROOT" status --porcelain -- clients/typescript/src/schema.d.ts)" ]; then
    git -C "$ROOT" diff --stat -- clients/typescript/src/schema.d.ts >&2
    die "clients/typescript/src/schema.d.ts is not what openapi.json generates: run (cd clients/typescript && npm run generate) and commit it"
  fi
  (cd "$dir" && npx tsc --noEmit -p tsconfig.json) || die "the TypeScript client or its example does not type-check"
  start_contract_stack || { stop_contract_stack; die "the contract stack did not start"; }
  local rc=0
  (cd "$dir" && GERBANG_API_URL="$CONTRACT_API_URL" GERBANG_SANDBOX_URL="$CONTRACT_SANDBOX_URL" \
    GERBANG_DEMO_PHONE=081200000001 GERBANG_DEMO_ADMIN=admin GERBANG_DEMO_ADMIN_PASSWORD=gerbang-demo \
    npm test --silent) || rc=$?
  stop_contract_stack
  return $rc
)

# Property-based conformance of the live API to openapi.json (schemathesis,
# pinned, in its own virtualenv): every operation, without a session, as the
# demo resident and as the demo super admin. Fails on any 5xx, any answer
# that does not match its documented schema, content type or headers, any
# undocumented status code, and (without a session) any operation that
# ignores its declared authentication. Prints operations and cases run.
SCHEMATHESIS_VERSION="4.32.5"
SCHEMATHESIS_EXAMPLES="${SCHEMATHESIS_EXAMPLES:-25}"
ensure_schemathesis() {
  local venv="$HOME/.cache/gerbang/schemathesis-$SCHEMATHESIS_VERSION"
  if [ ! -x "$venv/bin/schemathesis" ]; then
    python3 -m venv "$venv" || die "python3 -m venv failed (apt-get install python3-venv)"
    "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" \
      || die "cannot install schemathesis $SCHEMATHESIS_VERSION from PyPI"
  fi
  SCHEMATHESIS="$venv/bin/schemathesis"
}
contract_conformance() (
  ensure_schemathesis
  start_contract_stack || { stop_contract_stack; die "the contract stack did not start"; }
  local sessions admin resident rc=0 who cookie log
  sessions=$(python3 "$ROOT/scripts/contract/sessions.py" "$CONTRACT_API_URL" "$CONTRACT_SANDBOX_URL") \
    || { stop_contract_stack; die "could not sign in to the contract stack"; }
  admin=$(sed -n 's/^admin=//p' <<<"$sessions")
  resident=$(sed -n 's/^resident=//p' <<<"$sessions")
  for who in anonymous resident admin; do
    cookie=""
    local checks="not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance"
    local extra=()
    case $who in
      anonymous) checks="$checks,ignored_auth" ;;
      # Signed in, the run must not sign itself out half-way.
      resident) cookie="gerbang_at=$resident"; extra=(--exclude-operation-id logout) ;;
      admin) cookie="gerbang_at=$admin"; extra=(--exclude-operation-id logout) ;;
    esac
    log="$LOCAL/contract/schemathesis-$who.log"
    local headers=(-H "X-Requested-With: fetch")
    [ -n "$cookie" ] && headers+=(-H "Cookie: $cookie")
    if "$SCHEMATHESIS" run "$ROOT/openapi.json" --url "$CONTRACT_API_URL" "${headers[@]}" \
        --checks "$checks" "${extra[@]}" --max-examples "$SCHEMATHESIS_EXAMPLES" --workers 2 \
        --request-timeout 20 --seed 20261130 --no-color >"$log" 2>&1; then
      echo "    schemathesis ($who): $(grep -E '^  Tested:' "$log" | sed 's/^ *//'), $(grep -A1 '^Test cases:' "$log" | tail -n1 | sed 's/^ *//')" >&2
    else
      rc=1
      tail -n 80 "$log" >&2
      echo "    schemathesis ($who) failed: the whole report is in $log" >&2
    fi
  done
  stop_contract_stack
  return $rc
)
