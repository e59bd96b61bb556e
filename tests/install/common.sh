# Shared by the install tests: the build folder and sources, a scratch folder, pass/fail counting.
#   bash tests/install/<test>.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
[[ $# -eq 2 ]] || { echo "usage: $0 BUILD_DIR SOURCE_DIR" >&2; exit 2; }
BUILD=$(readlink -f "$1")
SRC=$(readlink -f "$2")
BIN=$BUILD/wedge
WORK=$(mktemp -d /tmp/wedge-install-test.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# Runs a command quietly; on failure shows its output and returns its status.
quiet() {
  local log=$WORK/quiet.log
  "$@" > "$log" 2>&1 && return 0
  local rc=$?
  echo "  \$ $*  (exit $rc)"; tail -n 20 "$log" | sed 's/^/  | /'
  return $rc
}
# The number of [[strategy]] tables of a configuration: what a reader of it must find.
strategies_in() { grep -c '^\[\[strategy\]\]' "$1"; }
# Their names, in order: the first `name =` of each [[strategy]] table.
strategy_names() {
  awk '/^\[/ { s = ($0 ~ /^\[\[strategy\]\]/) } s && /^name *=/ { gsub(/.*= *"|".*/, ""); print; s = 0 }' "$1"
}
