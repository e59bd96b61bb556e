#!/usr/bin/env bash
# wedge discover (PRIM) end to end on the box model, whose answer is known: the box's limits
# within a bin, the irrelevant inputs unrestricted; bitwise the same discovery file (datasets;
# the provenance attributes differ) for 1x1, 2x2 and 3x1 ranks x threads under real mpirun; bad
# input refused with exit 2 and nothing written.
source "$(dirname "$0")/common.sh"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
REC="$WORK/box.h5"
"$BIN" run "$SRC/configs/box.toml" -n 30000 --threads 2 --records all -o "$REC" -q
args=(--where 'hit@model' --resamples 4 --boxes 2 -q)
"$BIN" discover "$REC" "${args[@]}" --threads 1 -o "$WORK/d.1x1.h5"
mpirun -np 2 --oversubscribe "$BIN" discover "$REC" "${args[@]}" --threads 2 -o "$WORK/d.2x2.h5"
mpirun -np 3 --oversubscribe "$BIN" discover "$REC" "${args[@]}" --threads 1 -o "$WORK/d.3x1.h5"
for d in 2x2 3x1; do
  same_datasets "$WORK/d.1x1.h5" "$WORK/d.$d.h5" && ok "discover: 1x1 = $d" || bad "discover: 1x1 != $d"
done
# The exact box (y > 1 holds exactly in it) and the noisy one (hit: 0.9 inside, 0.05 outside).
"$BIN" discover "$REC" --where 'y@model > 1' --boxes 1 --resamples 2 -o "$WORK/exact.h5" > "$WORK/exact.txt"
grep -q "holds in 100% of the runs with x1 between 0.2 and 0.6 and x2 between 0.5 and 0.899" "$WORK/exact.txt" \
  && ok "the summary says the box in words" || { cat "$WORK/exact.txt"; bad "summary in words"; }
if /usr/bin/python3 - "$WORK" <<'PY'
import sys, h5py, numpy as np
w = sys.argv[1]
truth = {"x1": (0.2, 0.6), "x2": (0.5, 0.9)}
for name, tol_bins in (("exact", 1), ("d.1x1", 12)):
    with h5py.File(f"{w}/{name}.h5") as f:
        assert f.attrs["filetype"] == "wedge-discovery"
        inputs = [x.decode() for x in f["input"][...]]
        lo, hi = f["box_lower"][0], f["box_upper"][0]
        restricted, p = f["box_restricted"][0], f["box_p_value"][0]
        width = 1.0 / f.attrs["bins"]
        for k, x in enumerate(inputs):
            if x in truth:
                assert restricted[k] == 1, (name, x)
                assert abs(lo[k] - truth[x][0]) <= tol_bins * width, (name, x, lo[k])
                assert abs(hi[k] - truth[x][1]) <= tol_bins * width, (name, x, hi[k])
                assert p[k] < 1e-6, (name, x, p[k])
            else:  # irrelevant: unrestricted, or at least not significant
                assert restricted[k] == 0 or p[k] > 0.05, (name, x, p[k])
        # The trajectory: coverage falls and density rises along the peels of box 1.
        box = f["step_box"][...]
        cov, den = f["step_coverage"][box == 1], f["step_density"][box == 1]
        assert np.all(np.diff(cov) <= 0) and np.all(np.diff(den) > 0)
        assert f["box_stability"][0][inputs.index("x1")] == 1.0
PY
then ok "the known box is found (exact: within a bin; noisy: within 12 bins), x3..x5 unrestricted"; else bad "known box"; fi

# Bad input: exit 2, a message naming what is wrong, nothing written.
refuse() {  # refuse "what" "expected message part" args...
  local what=$1 msg=$2
  shift 2
  set +e
  "$BIN" discover "$@" -o "$WORK/bad.h5" > "$WORK/out.txt" 2> "$WORK/err.txt"
  local rc=$?
  set -e
  if [[ $rc -eq 2 ]] && grep -q -- "$msg" "$WORK/err.txt" && [[ ! -e $WORK/bad.h5 && ! -e $WORK/bad.h5.partial ]]; then
    ok "refused: $what"
  else
    cat "$WORK/err.txt"
    bad "$what: exit $rc"
  fi
}
refuse "unknown outcome" "'nope' is not an outcome" "$REC" --where 'nope@model'
refuse "unknown strategy" "'conciliation' is not a strategy" "$REC" --where 'hit@conciliation'
refuse "a condition of no run" "holds in no run" "$REC" --where 'y@model > 5'
refuse "a condition of every run" "holds in every run" "$REC" --where 'y@model >= 0'
refuse "a continuous outcome alone" "needs a 0/1 outcome" "$REC" --where 'y@model'
refuse "a syntax error" "expected a comparison" "$REC" --where 'y@model ~ 3'
refuse "regret with one strategy" "holds in no run" "$REC" --where 'regret@model > 0'
refuse "minimum mass above 1" "--mass-min" "$REC" --where 'hit@model' --mass-min 1.5
refuse "two box choices" "at most one of" "$REC" --where 'hit@model' --box 3 --min-density 0.5
refuse "a box index beyond the trajectory" "beyond it" "$REC" --where 'hit@model' --box 5000
"$BIN" run "$SRC/configs/box.toml" -n 2000 --records none -o "$WORK/norec.h5" -q
refuse "a file without records" "--records all" "$WORK/norec.h5" --where 'hit@model'
# Records without the named outcome (as --records compact writes when it is not named): the
# records' outcome coordinate lists only 'y'.
/usr/bin/python3 - "$REC" "$WORK/compact.h5" <<'PY'
import sys, h5py, numpy as np
with h5py.File(sys.argv[1]) as src, h5py.File(sys.argv[2], "w") as dst:
    for k, v in src.attrs.items():
        dst.attrs[k] = v
    g = dst.create_group("records")
    g["parameter"] = src["records/parameter"][...]
    g["strategy"] = src["records/strategy"][...]
    g["outcome"] = np.array([b"y"], dtype=h5py.string_dtype())
    g["parameters"] = src["records/parameters"][...]
    g["outcomes"] = src["records/outcomes"][:, :, 1:2].astype(np.float32)
    src.copy("state", dst)
PY
WEDGE_UNCHECKED_FILES=1 refuse "records without the named outcome" "the records hold no outcome 'hit'" "$WORK/compact.h5" --where 'hit@model'
# ... while the outcome they hold (narrower, float32) is read.
WEDGE_UNCHECKED_FILES=1 "$BIN" discover "$WORK/compact.h5" --where 'y@model > 1' --boxes 1 --resamples 0 -q -o "$WORK/compact_d.h5" \
  && ok "compact records (float32, one outcome) are read" || bad "compact records"
finish
