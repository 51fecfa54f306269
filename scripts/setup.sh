#!/usr/bin/env bash
# Installs whatever is missing and makes sure PostgreSQL and Redis are up, then migrates.
# Safe to run again: each step is skipped when its inputs have not changed.
#   scripts/setup.sh            what `make run` needs
#   scripts/setup.sh --browser  also Debian's chromium, for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=no
[ "${1:-}" = "--browser" ] && want_browser=yes

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
is_root() { [ "$(id -u)" = 0 ]; }
has() { command -v "$1" >/dev/null 2>&1; }

apt_updated=no
apt_install() {
  if ! is_root || ! has apt-get; then
    echo "Please install these Debian packages first: $*" >&2
    exit 1
  fi
  if [ "$apt_updated" = no ]; then
    apt-get update -qq
    apt_updated=yes
  fi
  say "Installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# A stamp file holds the checksum of the inputs of a step; the step runs when they change.
stamp_ok() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }
checksum() { cat "$@" | sha256sum | cut -d' ' -f1; }

ensure_postgres() {
  if [ -n "${DATABASE_URL:-}" ]; then return; fi
  if ! has pg_ctlcluster && ! has pg_isready; then
    apt_install postgresql
    # A fresh Debian cluster asks for a password over TCP; a developer's machine trusts loopback.
    local hba
    hba=$(ls /etc/postgresql/*/main/pg_hba.conf | head -n 1)
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    say "Starting PostgreSQL"
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL did not start" >&2; exit 1; }
}

ensure_redis() {
  if [ -n "${REDIS_URL:-}" ]; then return; fi
  has redis-server || apt_install redis-server
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    say "Starting Redis"
    local dir=/var/lib/redis
    [ -w "$dir" ] || dir=$(mktemp -d)
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --dir "$dir" \
      --logfile "$dir/redis.log" >/dev/null
    for _ in $(seq 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
  fi
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "Redis did not start" >&2; exit 1; }
}

ensure_python_packages() {
  [ -x .venv/bin/python ] || { say "Creating .venv"; python3 -m venv .venv; }
  local sum
  sum=$(checksum requirements/lock.txt)
  if ! stamp_ok .venv/.installed "$sum"; then
    say "Installing Python packages"
    .venv/bin/pip install --quiet --upgrade pip
    .venv/bin/pip install --quiet --require-hashes -r requirements/lock.txt
    echo "$sum" > .venv/.installed
  fi
}

ensure_node_packages() {
  has npm || apt_install nodejs npm
  local sum
  sum=$(checksum package.json package-lock.json)
  if ! stamp_ok node_modules/.installed "$sum"; then
    say "Installing npm packages"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$sum" > node_modules/.installed
  fi
}

ensure_assets() {
  local sum
  sum=$(checksum package-lock.json frontend/*.*)
  if ! stamp_ok static/build/.built "$sum"; then
    say "Building CSS and JavaScript"
    node frontend/build.mjs
    echo "$sum" > static/build/.built
  fi
}

ensure_pdf_libraries() {
  # WeasyPrint draws letters with Pango; Liberation Sans matches Arial's measurements.
  if ! ldconfig -p | grep -q libpangoft2-1.0 || ! fc-list | grep -qi "liberation sans"; then
    apt_install libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation
  fi
  # The tests read letters and minutes back with poppler's pdfinfo and pdftotext.
  has pdftotext || apt_install poppler-utils
}

ensure_browser() {
  has chromium || apt_install chromium
}

ensure_postgres
ensure_redis
ensure_python_packages
ensure_pdf_libraries
ensure_node_packages
ensure_assets
[ "$want_browser" = yes ] && ensure_browser

if [ -z "${DATABASE_URL:-}" ]; then
  export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ras
fi
.venv/bin/python scripts/create_database.py
