#!/usr/bin/env bash
# The R reader (analysis/R/wedge.R, hdf5r) against `wedge info --all` on a real file with
# records (tests/r/compare_info.R), and the R example analysis/examples/read_summary.R.
#   bash tests/r/reader.sh WEDGE_BIN SOURCE_DIR
source "$(dirname "$0")/../e2e/common.sh"
command -v Rscript > /dev/null || { bad "Rscript not found: bash scripts/install-deps.sh"; finish; exit; }
f=$WORK/study.h5
"$BIN" run "$SRC/configs/baseline.toml" -n 5000 --threads 1 --records all -o "$f" -q > /dev/null
"$BIN" info "$f" --all > "$WORK/info.txt"
sed -e 's/^records = .*/records = "compact"\nrecord_outcomes = ["split", "hybrid_attacks"]/' \
  "$SRC/configs/baseline.toml" > "$WORK/compact.toml"
"$BIN" run "$WORK/compact.toml" -n 5000 --threads 1 -o "$WORK/compact.h5" -q > /dev/null
Rscript "$SRC/tests/r/compare_info.R" "$SRC" "$f" "$WORK/info.txt" "$WORK" "$WORK/compact.h5" > "$WORK/r.out" 2>&1
rc=$?
sed 's/^/  R: /' "$WORK/r.out"
tail -1 "$WORK/r.out" | grep -qE '^[0-9]+ passed, 0 failed$' && [[ $rc -eq 0 ]] \
  && ok "R reader equals wedge info ($(tail -1 "$WORK/r.out"))" || bad "R reader against wedge info (exit $rc)"

# The example, run as a user would, from another folder.
out=$(cd "$WORK" && Rscript "$SRC/analysis/examples/read_summary.R" "$f" 2>&1)
rc=$?
head -n 12 <<< "$out" | sed 's/^/  example: /'
mean=$("$BIN" info "$f" --outcomes | awk '$1 == "us_payoff" && !n++ {print $2}')   # first strategy's
if [[ $rc -eq 0 ]] && grep -q "runs per strategy: 5000" <<< "$out" && grep -qE "^us_payoff +$mean " <<< "$out"; then
  ok "analysis/examples/read_summary.R prints the summary (us_payoff $mean)"
else bad "analysis/examples/read_summary.R (exit $rc)"; fi
finish
