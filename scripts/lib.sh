# Shared setup steps for run.sh and test.sh: install what is missing, say exactly what to do otherwise.

say() { printf '\033[1;34m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi; }

apt_install() {
  command -v apt-get >/dev/null || return 1
  say "installing $* (apt-get)"
  if [ -z "${SHIFU_APT_UPDATED:-}" ]; then as_root apt-get update -qq >&2; export SHIFU_APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >&2
}

ensure_uv() {
  if ! command -v uv >/dev/null; then
    say "installing uv (pip)"
    python3 -m pip install -q uv >&2 || die "could not install uv: run 'python3 -m pip install uv'"
  fi
}

ensure_python_env() {
  # $@: extra flags for uv sync (e.g. --no-dev)
  ensure_uv
  say "installing Python packages from uv.lock"
  uv sync --frozen --python 3.11 "$@" >&2
}

spatialite_ok() {
  [ -x .venv/bin/python ] || return 1
  SPATIALITE_LIBRARY_PATH=mod_spatialite .venv/bin/python - <<'PY' 2>/dev/null
import sqlean
c = sqlean.connect(":memory:"); c.enable_load_extension(True); c.load_extension("mod_spatialite")
PY
}

ensure_spatialite() {
  spatialite_ok && return 0
  apt_install libsqlite3-mod-spatialite || die "SpatiaLite is missing. Install it: Debian/Ubuntu 'apt-get install libsqlite3-mod-spatialite'; Fedora 'dnf install libspatialite'; macOS 'brew install libspatialite'"
  spatialite_ok || die "SpatiaLite installed but mod_spatialite still does not load"
}

ensure_postgres() {
  # PostgreSQL with PostGIS, running on 127.0.0.1:5432.
  if ! command -v pg_lsclusters >/dev/null; then
    apt_install postgresql postgresql-contrib || die "install PostgreSQL 15+ with PostGIS and start it on 127.0.0.1:5432"
  fi
  local ver
  ver=$(ls /etc/postgresql | sort -n | tail -1)
  if [ ! -f "/usr/share/postgresql/$ver/extension/postgis.control" ]; then
    apt_install "postgresql-$ver-postgis-3" || die "install PostGIS for PostgreSQL $ver"
  fi
  if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
    say "starting PostgreSQL $ver"
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start >&2 || die "could not start PostgreSQL $ver"
  fi
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && return 0
    sleep 1
  done
  die "PostgreSQL did not become ready on 127.0.0.1:5432"
}

ensure_redis() {
  # Redis carries the task queue (dispatch runs go to RQ workers).
  if .venv/bin/python -c "import redis,sys; redis.Redis.from_url('${SHIFU_REDIS_URL:-redis://127.0.0.1:6379/0}').ping()" 2>/dev/null; then
    return 0
  fi
  command -v redis-server >/dev/null || apt_install redis-server || die "install Redis and start it on 127.0.0.1:6379"
  say "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >&2
  sleep 1
}

ensure_chromium() {
  # The browser tests drive Debian's Chromium through Playwright (no browser download).
  [ -x /usr/bin/chromium ] && return 0
  apt_install chromium || die "install Chromium at /usr/bin/chromium (Debian/Ubuntu: apt-get install chromium) for the browser tests"
}

ensure_fonts() {
  # Chinese glyphs for the browser tests' screenshots (and any headless rendering of the apps).
  fc-list 2>/dev/null | grep -qiE "noto (sans|serif) cjk|wenquanyi" && return 0
  apt_install fonts-noto-cjk || say "no CJK font installed: screenshots will show boxes for Chinese (install fonts-noto-cjk)"
}

ensure_node() {
  # Node 20.19+ and npm build the browser apps (Vite 8).
  if command -v node >/dev/null && node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a==20&&b>=19)?0:1)'; then
    return 0
  fi
  apt_install nodejs npm || true
  command -v node >/dev/null && node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a==20&&b>=19)?0:1)' \
    || die "Node.js 20.19 or newer is needed to build the technician app (https://nodejs.org, or your package manager)"
}

web_stale() {
  # The build is missing, or a source, the lock file or the build config is newer than it.
  local app built
  for app in tech console consumer; do
    built=app/web/dist/$app/index.html
    [ -f "$built" ] || return 0
    [ -z "$(find app/web/$app app/web/shared app/web/package-lock.json app/web/vite.config.js app/web/vite.shared.js \
      -newer "$built" -type f -print -quit)" ] || return 0
  done
  return 1
}

ensure_web() {
  # Build the browser apps (app/web/dist/, served by FastAPI at /tech/, /console/, /consumer/) when missing or stale.
  if [ ! -d app/web/node_modules ] || [ app/web/package-lock.json -nt app/web/node_modules/.package-lock.json ]; then
    ensure_node
    say "installing the front end's npm packages (npm ci)"
    (cd app/web && npm ci --no-audit --no-fund --loglevel=error) >&2 || die "npm ci failed in app/web"
  fi
  if web_stale; then
    ensure_node
    say "building the browser apps (vite build)"
    (cd app/web && npm run build --silent) >&2 || die "the front-end build failed (cd app/web && npm run build)"
  fi
}
