# Shared by the end-to-end tests: strict mode, the binary and sources, a scratch folder.
set -euo pipefail
BIN=$(readlink -f "$1")
SRC=$(readlink -f "$2")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# A small study: the baseline with small batches, so that runs span several batches.
small_config() {
  sed -e 's/^batch_size = 65536/batch_size = 4096/' "$SRC/configs/baseline.toml" > "$WORK/small.toml"
  echo "$WORK/small.toml"
}
