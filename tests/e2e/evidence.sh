#!/usr/bin/env bash
# A study conditioned on evidence ([[evidence]], docs/evidence.md): bitwise identical for any
# ranks x threads, across a restart and an extension; /evidence readable by h5py; wedge info
# --evidence; evidence no run satisfies is refused with nothing written; a low effective sample
# size is warned of.
source "$(dirname "$0")/common.sh"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
PY=/usr/bin/python3
# The example with small batches (several per study) and every run in the fan charts' bins.
sed -e 's/^batch_size = 65536/batch_size = 4096/' -e 's/^path_sample = 8/path_sample = 1/' \
  "$SRC/configs/since-2025.toml" > "$WORK/ev.toml"
grep -q '^\[\[evidence\]\]' "$WORK/ev.toml" || { bad "configs/since-2025.toml has no [[evidence]]"; }

"$BIN" run "$WORK/ev.toml" -n 20000 --threads 1 -o "$WORK/a.h5" > "$WORK/a.log"
"$BIN" run "$WORK/ev.toml" -n 20000 --threads 2 -o "$WORK/b.h5" -q
mpirun --oversubscribe -np 2 "$BIN" run "$WORK/ev.toml" -n 20000 --threads 2 -o "$WORK/c.h5" -q
mpirun --oversubscribe -np 3 "$BIN" run "$WORK/ev.toml" -n 20000 --threads 1 -o "$WORK/d.h5" -q
if same_datasets "$WORK/a.h5" "$WORK/b.h5" && same_datasets "$WORK/a.h5" "$WORK/c.h5" \
    && same_datasets "$WORK/a.h5" "$WORK/d.h5"; then
  ok "weighted statistics bitwise identical for 1x1, 1x2, 2x2 and 3x1 ranks x threads"
else
  bad "weighted statistics depend on the split"
fi
if grep -q "effective sample size (Kish) with the evidence" "$WORK/a.log"; then
  ok "wedge run prints the effective sample size"
else
  cat "$WORK/a.log"; bad "no effective sample size in the run's output"
fi

# An extension, and an interrupted run restarted, equal the single run.
"$BIN" run "$WORK/ev.toml" -n 8192 --threads 2 -o "$WORK/e.h5" -q
"$BIN" run --extend "$WORK/e.h5" -n 11808 -q > /dev/null
if same_datasets "$WORK/a.h5" "$WORK/e.h5"; then ok "extension equals the single run"; else bad "extension differs"; fi
set +e
"$BIN" run "$WORK/ev.toml" -n 1000000 --threads 1 --checkpoint-every 1 -o "$WORK/k.h5" -q > /dev/null 2>&1 &
pid=$!
for _ in $(seq 200); do [[ -e "$WORK/k.h5.checkpoint" ]] && break; sleep 0.1; done
kill -TERM $pid; wait $pid; rc=$?
set -e
"$BIN" run "$WORK/ev.toml" -n 1000000 --threads 2 -o "$WORK/k.h5" --restart -q > /dev/null
"$BIN" run "$WORK/ev.toml" -n 1000000 --threads 2 -o "$WORK/k_whole.h5" -q > /dev/null
if [[ $rc -eq 75 ]] && same_datasets "$WORK/k_whole.h5" "$WORK/k.h5"; then
  ok "an interrupted weighted run, restarted, equals the single run"
else
  bad "restart with evidence (exit $rc)"
fi

# What the evidence taught: printed, and readable by h5py.
"$BIN" info --evidence "$WORK/a.h5" > "$WORK/info.txt"
if grep -q "effective sample size (Kish):" "$WORK/info.txt" && grep -q " -> " "$WORK/info.txt" \
    && grep -q "forecast before -> after the evidence" "$WORK/info.txt"; then
  ok "wedge info --evidence prints the evidence, the inputs' posterior and the forecast before and after"
else
  cat "$WORK/info.txt"; bad "wedge info --evidence"
fi
if $PY - "$WORK/a.h5" <<'PYEOF'
import sys
import h5py
import numpy as np
with h5py.File(sys.argv[1], "r") as f:
    g = f["evidence"]
    ess, runs = g.attrs["effective_sample_size"], g.attrs["runs"]
    assert 0 < ess <= runs == 20000, (ess, runs)
    post, prior = g["posterior_share"][()], g["prior_share"][()]
    assert post.shape == prior.shape == (len(g["input"]), 100)
    assert np.allclose(post.sum(axis=1), 1) and np.allclose(prior.sum(axis=1), 1)
    # The prior is flat in prior-CDF space (up to sampling noise); some posterior is not.
    assert np.abs(prior - 0.01).max() < 0.005
    tv = 0.5 * np.abs(post - prior).sum(axis=1)
    assert tv.max() > 0.05, tv
    before, after = g["mean_before"][()], f["mean"][()]
    assert before.shape == after.shape and not np.allclose(before, after)
    assert len(g["item"]) == len(g["observation"]) >= 3
PYEOF
then ok "h5py reads /evidence: shares sum to 1, a flat prior, a posterior that moved"; else bad "/evidence with h5py"; fi

# Evidence no run satisfies: refused, exit 2, nothing written; the message suggests the soft form.
cat "$WORK/ev.toml" > "$WORK/none.toml"
cat >> "$WORK/none.toml" <<'TOML'

[[evidence]]
name = "impossible"
description = "a test: more ceasefires than quarters"
source = "none"
kind = "event_count"
event = "ceasefire"
from = "2025Q1"
to = "2025Q2"
count = 2
TOML
set +e
"$BIN" run "$WORK/none.toml" -n 4096 -o "$WORK/none.h5" -q > /dev/null 2> "$WORK/none.err"; rc=$?
set -e
if [[ $rc -eq 2 ]] && grep -q "no run is consistent with the evidence" "$WORK/none.err" \
    && grep -q "error = 0.05" "$WORK/none.err" && [[ ! -e "$WORK/none.h5" && ! -e "$WORK/none.h5.partial" ]]; then
  ok "evidence no run satisfies: exit 2, the soft form suggested, nothing written"
else
  cat "$WORK/none.err"; bad "evidence no run satisfies (exit $rc)"
fi
# Strict evidence on few runs: a warning about the effective sample size.
sed -e 's/^warn_ess_share = .*/warn_ess_share = 0.2/' "$WORK/ev.toml" > "$WORK/strict.toml"
cat >> "$WORK/strict.toml" <<'TOML'

[[evidence]]
name = "precise"
description = "a test: a state observed very precisely"
source = "none"
kind = "state"
state = "nato_cohesion"
at = "2026Q4"
value = 0.3
sd = 0.05
TOML
"$BIN" run "$WORK/strict.toml" -n 4096 -o "$WORK/strict.h5" -q 2> "$WORK/strict.err" || true
if grep -q "warning: the evidence leaves an effective sample size" "$WORK/strict.err" && [[ -f "$WORK/strict.h5" ]]; then
  ok "a small effective sample size is warned of"
else
  cat "$WORK/strict.err"; bad "no warning for a small effective sample size"
fi
# Rejection (ABC): the same observations kept within tolerances; every weight is 0 or 1, so the
# effective sample size is the number of runs kept, and the weights' total too.
/usr/bin/python3 - "$WORK/ev.toml" "$WORK/abc.toml" <<'PYEOF'
import re, sys
s = open(sys.argv[1]).read().replace('method = "likelihood"', 'method = "rejection"')
s = re.sub(r"\nerror = [0-9.]+[^\n]*", "", s)
s = re.sub(r"\nsd = [0-9.]+[^\n]*", "\ntolerance = 0.5", s)
open(sys.argv[2], "w").write(s)
PYEOF
"$BIN" run "$WORK/abc.toml" -n 8192 -o "$WORK/abc.h5" -q
if $PY - "$WORK/abc.h5" <<'PYEOF'
import sys
import h5py
with h5py.File(sys.argv[1], "r") as f:
    g = f["evidence"]
    kept, ess = g.attrs["weight_total"], g.attrs["effective_sample_size"]
    assert g.attrs["method"].startswith("rejection"), g.attrs["method"]
    assert 0 < kept < 8192 and kept == int(kept) and abs(ess - kept) < 1e-6, (kept, ess)
PYEOF
then ok "rejection (ABC): weights 0 or 1, the effective sample size is the runs kept"; else bad "rejection (ABC)"; fi
finish
