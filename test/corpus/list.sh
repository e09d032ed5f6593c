#!/usr/bin/env bash
# Lists the corpus: package, installed version (and the pin, if they differ), modules, .py files, lines.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
site=/usr/lib/python3/dist-packages
total_files=0
total_lines=0
printf '%-28s %-20s %-18s %6s %8s\n' package version modules files lines
while IFS='|' read -r pkg version modules; do
  pkg="$(echo "$pkg" | xargs)"; version="$(echo "$version" | xargs)"
  [ -z "$pkg" ] && continue
  installed="$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || echo 'not-installed')"
  shown="$installed"
  [ "$installed" = "$version" ] || shown="$installed (pinned $version)"
  files=0
  lines=0
  for m in $modules; do
    [ -e "$site/$m" ] || continue
    f="$(find "$site/$m" -name '*.py' -type f | wc -l)"
    l="$(find "$site/$m" -name '*.py' -type f -print0 | xargs -0 cat | wc -l)"
    files=$((files + f))
    lines=$((lines + l))
  done
  total_files=$((total_files + files))
  total_lines=$((total_lines + lines))
  printf '%-28s %-20s %-18s %6d %8d\n' "$pkg" "$shown" "$(echo $modules)" "$files" "$lines"
done < <(grep -v '^\s*#' "$here/packages.txt" | grep -v '^\s*$')
printf '%-28s %-20s %-18s %6d %8d\n' total '' '' "$total_files" "$total_lines"
