#!/usr/bin/env bash
# Installs the corpus's Debian packages at the versions pinned in packages.txt (needs root and apt).
# Does nothing when every package is already installed at its pinned version.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export DEBIAN_FRONTEND=noninteractive

specs=()
missing=()
while IFS='|' read -r pkg version _modules; do
  pkg="$(echo "$pkg" | xargs)"; version="$(echo "$version" | xargs)"
  [ -z "$pkg" ] && continue
  specs+=("$pkg=$version")
  installed="$(dpkg-query -W -f='${Status} ${Version}' "$pkg" 2>/dev/null || true)"
  [ "$installed" = "install ok installed $version" ] || missing+=("$pkg=$version")
done < <(grep -v '^\s*#' "$here/packages.txt" | grep -v '^\s*$')

if [ "${#missing[@]}" -eq 0 ]; then
  echo "corpus: all ${#specs[@]} packages installed at their pinned versions"
  exit 0
fi

unavailable() {
  local out=()
  for spec in "${missing[@]}"; do
    local pkg="${spec%%=*}" version="${spec#*=}"
    apt-cache madison "$pkg" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); print $2}' | grep -qxF "$version" || out+=("$spec")
  done
  echo "${out[@]:-}"
}

gone="$(unavailable)"
if [ -n "$gone" ]; then
  apt-get update
  gone="$(unavailable)"
fi
if [ -n "$gone" ]; then
  echo "corpus: these pinned versions are no longer available from apt: $gone" >&2
  for spec in $gone; do
    echo "  ${spec%%=*}: apt offers $(apt-cache madison "${spec%%=*}" | awk -F'|' '{gsub(/ /,"",$2); printf "%s ", $2}')" >&2
  done
  echo "corpus: pin the offered version in test/corpus/packages.txt, then run npm run corpus:update-baseline and review the changes" >&2
  exit 1
fi

apt-get install -y --no-install-recommends "${missing[@]}"
