#!/usr/bin/env bash
# The Debian package made by CPack (cmake/Package.cmake): its control fields, its Depends
# satisfied by installed Debian packages, its files; unpacked with `dpkg -x` into a temporary root
# (not installed: a test writes no system path), the unpacked wedge finds all its libraries and
# runs the default forecast with the packaged configuration from an unrelated folder.
source "$(dirname "$0")/common.sh"
if (cd "$BUILD" && quiet cpack -G DEB -B "$WORK/out") && deb=$(ls "$WORK"/out/wedge_*.deb 2> /dev/null) \
    && [[ -f $deb ]]; then ok "cpack -G DEB: $(basename "$deb")"
else bad "cpack made no wedge_*.deb"; finish; exit; fi

field() { dpkg-deb -f "$deb" "$1"; }
version=$("$BIN" --version | awk '{print $2}')
[[ $(field Package) == wedge && $(field Version) == "$version" ]] && ok "Package: wedge, Version: $version" \
  || bad "control: Package '$(field Package)' Version '$(field Version)'"
depends=$(field Depends)
echo "  Depends: $depends"
for need in libopenmpi3 libhdf5-openmpi-103-1 openmpi-bin; do
  [[ ", $depends," == *", $need"[\ ,]* ]] && ok "Depends names $need" || bad "Depends lacks $need"
done
# Every dependency is a real Debian package, installed here in a version that satisfies it.
unmet=()
IFS=',' read -ra deps <<< "$depends"
for d in "${deps[@]}"; do
  d=${d# }
  name=${d%% *}
  have=$(dpkg-query -W -f='${Version}' "$name" 2> /dev/null) || { unmet+=("$name (not installed)"); continue; }
  if [[ $d =~ \((..?)\ (.*)\) ]]; then
    op=${BASH_REMATCH[1]} ver=${BASH_REMATCH[2]}
    case $op in '>=') op=ge ;; '<=') op=le ;; '=') op=eq ;; '>>') op=gt ;; '<<') op=lt ;; esac
    dpkg --compare-versions "$have" "$op" "$ver" || unmet+=("$d (have $have)")
  fi
done
((${#unmet[@]} == 0)) && ok "all ${#deps[@]} dependencies installed in satisfying versions" || bad "unmet: ${unmet[*]}"

files=$(dpkg-deb -c "$deb" | awk '{print $6}')
missing=()
for f in ./usr/bin/wedge ./usr/share/wedge/configs/baseline.toml ./usr/share/man/man1/wedge.1 \
    ./usr/share/doc/wedge/README.md ./usr/lib/cmake/wedge/wedgeConfig.cmake \
    ./usr/include/wedge/core/config.hpp "./usr/share/modulefiles/wedge/$version.lua"; do
  grep -qxF "$f" <<< "$files" || missing+=("$f")
done
((${#missing[@]} == 0)) && ok "package holds the program, configs, man page, docs, CMake package, headers, module file" \
  || bad "not in the package: ${missing[*]}"
programs=$(grep -E '^\./usr/bin/.' <<< "$files" | tr '\n' ' ')
[[ $programs == "./usr/bin/wedge " ]] && ok "one program in the package: /usr/bin/wedge" || bad "programs in the package: $programs"
grep -qE 'bench|/tmp/|/work/' <<< "$files" && bad "package holds benchmarks or build paths" \
  || ok "no benchmarks or build paths in the package"

ROOT=$WORK/root
dpkg -x "$deb" "$ROOT"
W=$ROOT/usr/bin/wedge
if ldd "$W" | grep -q 'not found'; then ldd "$W"; bad "unpacked wedge misses libraries"
else ok "unpacked wedge finds every library (ldd)"; fi
if readelf -d "$W" | grep -qE 'RPATH|RUNPATH'; then readelf -d "$W" | grep -E 'RPATH|RUNPATH'; bad "wedge carries a runpath"
else ok "no RPATH/RUNPATH: system libraries only"; fi
grep -q 'root = "/usr"' "$ROOT/usr/share/modulefiles/wedge/$version.lua" && ok "packaged module file is for /usr" \
  || bad "packaged module file is not for /usr"

mkdir -p "$WORK/elsewhere"
cfg=$ROOT/usr/share/wedge/configs/baseline.toml
if (cd "$WORK/elsewhere" && quiet "$W" run "$cfg" -n 2000 --threads 1 -o out.h5) \
    && "$W" info "$WORK/elsewhere/out.h5" > "$WORK/info.txt" \
    && grep -q "2000 runs x $(strategies_in "$cfg") strategies" "$WORK/info.txt"; then
  ok "unpacked wedge runs the packaged baseline (2000 runs) from another folder"
else bad "unpacked wedge on the packaged baseline"; fi
if (cd "$WORK/elsewhere" && quiet mpirun -np 2 "$W" run "$cfg" -n 2000 --threads 1 -o mpi.h5 -q) \
    && same_datasets "$WORK/elsewhere/out.h5" "$WORK/elsewhere/mpi.h5" > /dev/null; then
  ok "the same under mpirun -np 2: identical datasets"
else bad "unpacked wedge under mpirun"; fi
finish
