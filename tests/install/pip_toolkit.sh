#!/usr/bin/env bash
# The Python toolkit installed with pip from a copy of analysis/ (pyproject.toml) into a venv
# that sees Debian's python3-* packages, offline: the console script wedge-report, run from another
# folder on a real result file, imports the installed package and writes the report.
# (A copy, because setuptools builds in the source folder: analysis/build, *.egg-info.)
source "$(dirname "$0")/common.sh"
mkdir -p "$WORK/src"
cp -r "$SRC/analysis/pyproject.toml" "$SRC/analysis/README.md" "$SRC/analysis/wedge_analysis" "$WORK/src/"
V=$WORK/venv
# Debian's python3-h5py has no metadata pip recognises as h5py: --no-deps (the venv sees them all).
if quiet /usr/bin/python3 -m venv --system-site-packages --without-pip "$V" \
    && quiet /usr/bin/python3 -m pip --python "$V/bin/python" install --no-index --no-deps \
         --no-build-isolation "$WORK/src"; then
  ok "pip install --no-index --no-deps --no-build-isolation analysis/ into a venv"
else bad "pip install of analysis/"; finish; exit; fi
[[ -x $V/bin/wedge-report ]] && ok "console script wedge-report installed" || bad "no wedge-report in $V/bin"

version=$("$BIN" --version | awk '{print $2}')
have=$("$V/bin/python" -c 'import importlib.metadata as m; print(m.version("wedge-analysis"))')
[[ $have == "$version" ]] && ok "wedge-analysis $have = wedge $version" || bad "wedge-analysis $have, wedge $version"

mkdir -p "$WORK/elsewhere"
cd "$WORK/elsewhere" || exit 1
where=$(env -u PYTHONPATH "$V/bin/python" -c 'import wedge_analysis; print(wedge_analysis.__file__)')
[[ $where == "$V"/lib/python3*/site-packages/wedge_analysis/__init__.py ]] && ok "imports the installed package" \
  || bad "wedge_analysis imported from $where"

"$BIN" run "$SRC/configs/baseline.toml" -n 2000 --threads 1 -o study.h5 -q > /dev/null
out=$(env -u PYTHONPATH "$V/bin/wedge-report" study.h5 -o report 2>&1)
rc=$?
echo "  $out"
figures=$(grep -oE 'src="[^"]+\.png"' report/index.html 2> /dev/null | sed 's/src="//; s/"$//' | sort -u)
missing=0
for f in $figures; do [[ -s report/$f ]] || missing=$((missing + 1)); done
n=$(wc -w <<< "$figures")
if [[ $rc -eq 0 && $n -ge 5 && $missing -eq 0 ]]; then
  ok "wedge-report study.h5: index.html and its $n figures"
else bad "wedge-report (exit $rc, $n figures in index.html, $missing missing)"; fi
env -u PYTHONPATH "$V/bin/wedge-report" "$SRC/configs/baseline.toml" -o bad > "$WORK/err" 2>&1
rc=$?
[[ $rc -eq 2 ]] && grep -q "not a wedge result file" "$WORK/err" && ok "wedge-report on a text file: exit 2, says why" \
  || { cat "$WORK/err"; bad "wedge-report on a text file: exit $rc"; }
finish
