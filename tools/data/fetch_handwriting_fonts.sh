#!/usr/bin/env bash
# Fetch the Google Fonts handwriting families of tools/data/fontsource_hands.txt (Fontsource's
# npm packages, SIL OFL 1.1) into data/fonts/fontsource/<id>/: the Latin, regular-weight WOFF
# file and the licence of each. The demo corpus (tools/data/generate_demo_corpus.py) finds them
# there and splits them, with the Debian hands, into writer-independent train/val/test hands.
#
# Idempotent: a family already fetched is skipped. Needs npm (Debian package `npm`); without it,
# or for a package npm cannot fetch, it warns and goes on: the corpus then has fewer hands.
#
# Usage: bash tools/data/fetch_handwriting_fonts.sh [OUT_DIR]   (default data/fonts/fontsource)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LIST="$ROOT/tools/data/fontsource_hands.txt"
OUT="${1:-$ROOT/data/fonts/fontsource}"
log() { printf '[fetch_handwriting_fonts] %s\n' "$*" >&2; }

if ! command -v npm >/dev/null 2>&1; then
  log "warning: npm not found (sudo apt-get install npm): the demo corpus gets the Debian hands only"
  exit 0
fi
mkdir -p "$OUT"
todo=()
while read -r spec; do
  case "$spec" in ''|'#'*) continue ;; esac
  id="${spec%@*}"
  [ -f "$OUT/$id/$id-latin-400-normal.woff" ] || todo+=("$spec")
done < "$LIST"
[ ${#todo[@]} -eq 0 ] && { log "all $(grep -c '^[a-z]' "$LIST") families present in $OUT"; exit 0; }

log "fetching ${#todo[@]} handwriting font packages from npm into $OUT"
packs="$(mktemp -d)"
trap 'rm -rf "$packs"' EXIT
fetch_one() {  # fetch_one ID@VERSION PACKS_DIR OUT_DIR
  local spec="$1" id="${1%@*}" version="${1#*@}" tgz
  tgz="$2/fontsource-$id-$version.tgz"
  (cd "$2" && npm pack --silent "@fontsource/$id@$version" >/dev/null 2>&1) || {
    echo "warning: npm could not fetch @fontsource/$spec" >&2; return 0; }
  mkdir -p "$3/$id"
  tar -xzf "$tgz" -C "$3/$id" --strip-components=2 "package/files/$id-latin-400-normal.woff" \
    2>/dev/null || {
    echo "warning: @fontsource/$spec has no files/$id-latin-400-normal.woff" >&2
    rmdir "$3/$id" 2>/dev/null || true; return 0; }
  tar -xzf "$tgz" -C "$3/$id" --strip-components=1 package/LICENSE 2>/dev/null || true
}
export -f fetch_one
printf '%s\n' "${todo[@]}" | xargs -P 8 -I{} bash -c 'fetch_one "$@"' _ {} "$packs" "$OUT"
log "$(ls -d "$OUT"/*/ 2>/dev/null | wc -l) families in $OUT"
