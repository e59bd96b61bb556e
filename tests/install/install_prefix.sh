#!/usr/bin/env bash
# `cmake --install` into a temporary prefix: the files are there, the installed wedge runs the
# installed configuration from another folder, `man wedge` finds the page, the module file names
# the prefix, and a project outside the tree builds against the installed library with
# find_package(wedge) and loads a configuration through it.
source "$(dirname "$0")/common.sh"
P=$WORK/prefix
if quiet cmake --install "$BUILD" --prefix "$P"; then ok "cmake --install --prefix"; else bad "cmake --install"; finish; exit; fi

lib=$(find "$P" -name libwedge.a -printf '%P\n')
missing=()
for f in bin/wedge "$lib" include/wedge/core/config.hpp include/wedge/version.hpp \
    lib/cmake/wedge/wedgeConfig.cmake lib/cmake/wedge/wedgeConfigVersion.cmake \
    lib/cmake/wedge/wedgeTargets.cmake share/wedge/configs/baseline.toml \
    share/wedge/configs/correlated.toml share/doc/wedge/README.md share/doc/wedge/output-format.md \
    share/man/man1/wedge.1; do
  [[ -n $f && -f $P/$f ]] || missing+=("${f:-libwedge.a}")
done
if ((${#missing[@]} == 0)); then ok "installed: binary, libwedge.a ($lib), headers, CMake package, configs, docs, man page"
else bad "not installed: ${missing[*]}"; fi
headers_src=$(cd "$SRC/include" && find wedge -name '*.hpp' | sort)
headers_inst=$(cd "$P/include" && find wedge -name '*.hpp' ! -name version.hpp | sort)
[[ $headers_src == "$headers_inst" ]] && ok "every public header installed" || bad "installed headers differ from include/"

# The installed program, from a folder that has nothing of the source tree.
mkdir -p "$WORK/elsewhere"
if [[ $("$P/bin/wedge" --version) == "$("$BIN" --version)" ]]; then ok "installed wedge --version: $("$P/bin/wedge" --version)"
else bad "installed wedge --version differs from the build's"; fi
if (cd "$WORK/elsewhere" && quiet "$P/bin/wedge" run "$P/share/wedge/configs/baseline.toml" -n 2000 --threads 1 -o out.h5 -q) \
    && "$P/bin/wedge" info "$WORK/elsewhere/out.h5" | grep -q '2000 runs'; then
  ok "installed wedge runs the installed baseline from another folder"
else bad "installed wedge on the installed baseline"; fi

# man finds the page under the prefix's man folder and renders it without warnings.
if MANPAGER=cat MANWIDTH=100 man -M "$P/share/man" wedge 2> "$WORK/man.err" | grep -q 'wedge merge' \
    && [[ ! -s $WORK/man.err ]]; then ok "man -M PREFIX/share/man wedge"
else cat "$WORK/man.err"; bad "man wedge from the prefix"; fi

# The Lmod module file names this prefix (Lmod itself loads it in tests/slurm/test_slurm.sh).
mod=$P/share/modulefiles/wedge/$("$BIN" --version | awk '{print $2}').lua
if [[ -f $mod ]] && grep -qF "local root = \"$P\"" "$mod"; then ok "module file $(basename "$mod") names the prefix"
else bad "module file missing or not for $P"; fi

# A downstream project: find_package(wedge) and wedge::wedge, out of the source tree.
DS=$WORK/downstream
if quiet cmake -S "$SRC/tests/install/downstream" -B "$DS" -DCMAKE_PREFIX_PATH="$P" \
    && quiet cmake --build "$DS"; then ok "downstream project builds with find_package(wedge); every installed header compiles"
else bad "downstream build against the installed wedge"; fi
want=$(strategies_in "$SRC/configs/baseline.toml")
out=$("$DS/strategies" "$P/share/wedge/configs/baseline.toml" 2>&1)
if [[ $(head -1 <<< "$out") == "wedge $("$BIN" --version | awk '{print $2}'): $want strategies" ]] \
    && [[ $(tail -n +2 <<< "$out" | tr '\n' ' ') == "$(strategy_names "$P/share/wedge/configs/baseline.toml" | tr '\n' ' ')" ]]; then
  ok "downstream program loads the baseline through libwedge: $want strategies"
else echo "$out"; bad "downstream program output"; fi
"$DS/strategies" "$WORK/none.toml" > /dev/null 2>&1
rc=$?
[[ $rc -eq 2 ]] && ok "downstream program gets wedge's InputError for a missing file" || bad "downstream exit $rc for a missing file"
finish
