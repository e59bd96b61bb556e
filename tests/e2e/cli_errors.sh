#!/usr/bin/env bash
# Bad input gets a clear message naming file, line and key, exit code 2, and no output file.
source "$(dirname "$0")/common.sh"
expect() {  # expect CODE PATTERN DESCRIPTION -- command...
  local code=$1 pattern=$2 what=$3
  shift 4
  set +e
  "$@" > "$WORK/out" 2> "$WORK/err"
  local rc=$?
  set -e
  if [[ $rc -eq $code ]] && grep -qE -- "$pattern" "$WORK/out" "$WORK/err"; then ok "$what"; else
    echo "  exit $rc; stderr:"; sed 's/^/    /' "$WORK/err"; bad "$what"; fi
}
cp "$SRC/configs/baseline.toml" "$WORK/typo.toml"
sed -i 's/^switch_quarter = 16/switch_quater = 16/' "$WORK/typo.toml"
expect 2 "typo.toml:[0-9]+: key 'time.switch_quater': unknown key \(did you mean 'switch_quarter'\?\)" "typo in a key" -- \
  "$BIN" run "$WORK/typo.toml" -o "$WORK/typo.h5"
[[ ! -e "$WORK/typo.h5" && ! -e "$WORK/typo.h5.partial" ]] && ok "no file written for a bad config" || bad "file written for a bad config"
sed -e 's/^sanctions_relief = 0.7/sanctions_relief = "lots"/' "$SRC/configs/baseline.toml" > "$WORK/type.toml"
expect 2 "type.toml:[0-9]+: key 'strategy\[1\].sanctions_relief': expected a number" "wrong type" -- "$BIN" validate "$WORK/type.toml"
sed -e 's/^fallback = "dual_containment"/fallback = "nobody"/' "$SRC/configs/baseline.toml" > "$WORK/fb.toml"
expect 2 "fb.toml:[0-9]+: key 'strategy\[1\].fallback': \"nobody\" names no strategy" "fallback naming no strategy" -- \
  "$BIN" run "$WORK/fb.toml" -o "$WORK/fb.h5"
sed -e 's/^path_sample = 8 /fan_charts = ["conciliation", "concilation"]\npath_sample = 8 /' "$SRC/configs/baseline.toml" > "$WORK/fan.toml"
expect 2 "fan.toml:16: key 'output.fan_charts\[1\]': \"concilation\" names no strategy" "fan_charts naming no strategy" -- \
  "$BIN" run "$WORK/fan.toml" -o "$WORK/fan.h5"
[[ ! -e "$WORK/fan.h5" && ! -e "$WORK/fan.h5.partial" ]] && ok "no file written for bad fan_charts" || bad "file written for bad fan_charts"
sed -e 's/^path_sample = 8 /fan_charts = ["conciliation",\n  "conciliation"]\npath_sample = 8 /' "$SRC/configs/baseline.toml" > "$WORK/fan2.toml"
expect 2 "fan2.toml:17: key 'output.fan_charts\[1\]': \"conciliation\" is listed twice" "fan_charts naming a strategy twice" -- \
  "$BIN" validate "$WORK/fan2.toml"
expect 2 "no such file|cannot open" "missing configuration" -- "$BIN" run "$WORK/none.toml"
expect 2 "runs|positive|--runs" "negative run count" -- "$BIN" run "$SRC/configs/baseline.toml" -n -5
expect 2 "records" "bad --records" -- "$BIN" run "$SRC/configs/baseline.toml" --records some
expect 2 "'splitt' names no outcome" "bad --target-se outcome" -- "$BIN" run "$SRC/configs/baseline.toml" --target-se splitt=0.1
expect 2 "'split' is given twice" "--target-se naming an outcome twice" -- "$BIN" run "$SRC/configs/baseline.toml" --target-se split=0.1 split=0.2
expect 2 "not a number" "bad --target-se value" -- "$BIN" run "$SRC/configs/baseline.toml" --target-se split=abc
# The ranking stop: an unknown outcome, a criterion without max:/min:, a confidence outside
# (0.5, 1), a single strategy; nothing written.
awk '/^\[\[strategy\]\]/ {n++} n >= 2 && /^# States/ {n = -1} n < 2' "$SRC/configs/baseline.toml" > "$WORK/one.toml"
for c in "settled:max:us_payof=0.95|'settled:max:us_payof': \"us_payof\" names no outcome|baseline" \
    "settled:us_payoff=0.95|expected \"max:OUTCOME\" or \"min:OUTCOME\", got \"us_payoff\"|baseline" \
    "settled:max:us_payoff=1|confidence must lie strictly between 0.5 and 1, got 1$|baseline" \
    "settled:min:split=0.4|confidence must lie strictly between 0.5 and 1, got 0.4$|baseline" \
    "settled:max:us_payoff=0.9|'settled:max:us_payoff': one strategy has no ranking to settle|one"; do
  IFS='|' read -r item message config <<< "$c"
  [[ $config == one ]] && config="$WORK/one.toml" || config="$SRC/configs/baseline.toml"
  expect 2 "key '--target-se': .*$message" "refused: --target-se $item" -- \
    "$BIN" run "$config" -n 100 --target-se "$item" -o "$WORK/settled.h5"
  [[ ! -e "$WORK/settled.h5" && ! -e "$WORK/settled.h5.partial" ]] || bad "file written for --target-se $item"
done
expect 2 "not an HDF5 file" "info on a text file" -- "$BIN" info "$SRC/configs/baseline.toml"
expect 2 "no such file" "info on a missing file" -- "$BIN" info "$WORK/missing.h5"
# Outcome names are the file's model's: a typo is found once the file is read.
"$BIN" run "$SRC/configs/baseline.toml" -n 64 -q -o "$WORK/small.h5" > /dev/null
expect 2 "key '--drivers-of': 'splitt' names no outcome" "info --drivers-of a typo" -- "$BIN" info "$WORK/small.h5" --drivers-of splitt
expect 2 "unknown|following arguments|not expected|Extra" "unknown option" -- "$BIN" run "$SRC/configs/baseline.toml" --frobnicate
# Each kind of bad configuration: exit 2, the file, line and key named, and no file in OUT.
OUT="$WORK/results"
mkdir -p "$OUT"
bad_config() {  # bad_config DESCRIPTION PATTERN SED-EXPRESSION
  local what=$1 pattern=$2 expr=$3 cfg="$WORK/case.toml"
  sed -e "$expr" "$SRC/configs/baseline.toml" > "$cfg"
  expect 2 "case.toml:[0-9]+: key '$pattern" "$what" -- "$BIN" run "$cfg" -n 1000 -o "$OUT/case.h5"
  if [[ -n $(ls -A "$OUT") ]]; then bad "$what: files left: $(ls "$OUT")"; rm -f "$OUT"/*; fi
}
bad_config "NaN coefficient" "targets.alignment.intercept': .*(finite|number|range)" 's/^intercept = 0.0$/intercept = nan/'
bad_config "infinite threshold" "outcomes.split_below': .*" 's/^split_below = 0.4/split_below = inf/'
bad_config "uniform lower above upper" "parameters.european_hedging.upper': must be greater than 'lower'" \
  's/^european_hedging .*/european_hedging = { dist = "uniform", lower = 0.6, upper = 0.2 }/'
bad_config "beta shape out of range" "parameters.russia_receptiveness.alpha': value 1e\+20 out of range" \
  's/alpha = 2.0, beta = 5.0/alpha = 1e20, beta = 5.0/'
bad_config "prior beyond what a double holds" "parameters.volatility': the prior lognormal\(800, 0.3\) reaches values too large" \
  's/^volatility .*/volatility = { dist = "lognormal", mu = 800.0, sigma = 0.3 }/'
bad_config "normal prior on a 0-1 parameter" "parameters.nato_inertia': .*outside the parameter's domain" \
  's/^nato_inertia .*/nato_inertia = { dist = "normal", mean = 0.5, sd = 0.2 }/'
bad_config "study name with a path" "study.name': must be 1-128 letters" 's|^name = "baseline"|name = "../../escape"|'
bad_config "duplicate strategy" "strategy\[1\]" '0,/^name = "conciliation"/s//name = "dual_containment"/'
bad_config "unknown model" "study.model': \"ishigam\" is not a model wedge knows" 's/^name = "baseline"/name = "baseline"\nmodel = "ishigam"/'
bad_config "prior on a lever" "strategy\[0\].sanctions_relief': expected a number \(a prior is allowed only on the model's coefficients" \
  '0,/^sanctions_relief = 0.0/s//sanctions_relief = { dist = "uniform", lower = 0.0, upper = 0.2 }/'
bad_config "prior on quarters" "time.quarters': expected an integer \(a prior is allowed only" \
  's/^quarters = 40 /quarters = { dist = "uniform", lower = 30, upper = 50 } /'
bad_config "uncertain threshold outside [0, 1]" "outcomes.split_below': the prior normal\(0.4, 0.1\) reaches outside the coefficient's allowed values" \
  's/^split_below = 0.4/split_below = { dist = "normal", mean = 0.4, sd = 0.1 }/'
bad_config "unknown record outcome" "output.record_outcomes\[1\]': 'us_payof' is not an outcome of the model" \
  's/^records = .*/records = "compact"\nrecord_outcomes = ["split", "us_payof"]/'
bad_config "record_outcomes without compact records" "output.record_outcomes': names the outcomes of records = \"compact\", but records is \"all\"" \
  's/^records = .*/records = "all"\nrecord_outcomes = ["split"]/'
# Records the disk cannot hold are refused before anything is written, naming the mode's size.
expect 2 "key '--records': records all of 1000000000000 runs need .* \(576 bytes per run\) but .* free; use --records compact \(120 bytes per run" \
  "records larger than the free space" -- "$BIN" run "$SRC/configs/baseline.toml" -n 1000000000000 --records all -o "$OUT/huge.h5"
sed -e 's/^records = .*/records = "compact"/' "$SRC/configs/baseline.toml" > "$WORK/compact.toml"
expect 2 "compact.toml:1[0-9]: key 'output.records': records compact of 1000000000000 runs need .* \(120 bytes per run\)" \
  "compact records larger than the free space" -- "$BIN" run "$WORK/compact.toml" -n 1000000000000 -o "$OUT/huge.h5"
bad_config "unknown design" "study.design': .*\"sobel\".*(monte_carlo|one of)" 's/^design = "monte_carlo"/design = "sobel"/'
# A test model's configuration with the strategic triangle's keys.
sed -e 's/^\[parameters\]/[states.alignment]\ntheta = 0.5\n\n[parameters]/' "$SRC/configs/ishigami.toml" > "$WORK/ishigami-bad.toml"
expect 2 "ishigami-bad.toml:[0-9]+: key 'states': unknown key" "test model with the triangle's keys" -- \
  "$BIN" run "$WORK/ishigami-bad.toml" -n 1000 -o "$OUT/case.h5"
# [[evidence]] and [weighting] (configs/since-2025.toml has a [history] and five items).
bad_evidence() {  # bad_evidence DESCRIPTION PATTERN SED-EXPRESSION
  local what=$1 pattern=$2 expr=$3 cfg="$WORK/case.toml"
  sed -e "$expr" "$SRC/configs/since-2025.toml" > "$cfg"
  expect 2 "case.toml:[0-9]+: key '$pattern" "evidence: $what" -- "$BIN" run "$cfg" -n 1000 -o "$OUT/case.h5"
  if [[ -n $(ls -A "$OUT") ]]; then bad "evidence: $what: files left: $(ls "$OUT")"; rm -f "$OUT"/*; fi
}
bad_evidence "unknown event" "evidence\[0\].event': \"hybrid_atack\" is not an event of the study \(hybrid_attack, military_action, ceasefire\)" \
  's/^event = "hybrid_attack"/event = "hybrid_atack"/'
bad_evidence "unknown state" "evidence\[4\].state': \"cohesion\" is not a state of the study \(alignment, rapprochement, nato_cohesion, " \
  's/^state = "nato_cohesion"/state = "cohesion"/'
bad_evidence "quarter at the decision quarter" "evidence\[0\].by': 2027Q1 is not before the decision quarter \(2027Q1\): evidence concerns the history" \
  's/^by = "2025Q4"/by = "2027Q1"/'
bad_evidence "quarter after the decision quarter" "evidence\[4\].at': 2028Q3 is not before the decision quarter \(2027Q1\)" \
  '/^name = "nato_cohesion_2026Q4"/,$s/^at = "2026Q4"/at = "2028Q3"/'
bad_evidence "quarter before the start" "evidence\[0\].by': \"2024Q4\" lies outside the study, which runs from 2025Q1" \
  's/^by = "2025Q4"/by = "2024Q4"/'
bad_evidence "no [history]" "evidence': evidence needs a \[history\] with a decision_quarter" \
  '/^\[history\]/,/^decision_quarter/d'
bad_evidence "window from after to" "evidence\[1\].from': the window's first quarter \(2026Q3\) is after its last \('to', 2026Q2\)" \
  's/^from = "2026Q1"/from = "2026Q3"/; s/^to = "2026Q4"/to = "2026Q2"/'
bad_evidence "duplicate name" "evidence\[3\].name': evidence \"no_ceasefire_by_2026Q4\" is given twice" \
  's/^name = "alignment_2026Q4"/name = "no_ceasefire_by_2026Q4"/'
bad_evidence "observed value of 1" "evidence\[3\].value': value 1 out of range: must be in \(0, 1\)" 's/^value = 0.65/value = 1.0/'
bad_evidence "sd of 0" "evidence\[4\].sd': value 0 out of range: must be > 0" 's/^sd = 0.5$/sd = 0/'
bad_evidence "error of 0.5" "evidence\[0\].error': value 0.5 out of range: must be in \[0, 0.5\)" 's/^error = 0.05 /error = 0.5 /'
bad_evidence "negative count" "evidence\[1\].count': value -1 out of range" 's/^count = 1/count = -1/'
bad_evidence "unknown kind" "evidence\[3\].kind': \"stat\" is not one of \"event_by\", \"event_count\", \"state\"" \
  '0,/^kind = "state"/s//kind = "stat"/'
bad_evidence "saltelli design" "evidence': design \"saltelli\" cannot be weighted .*use design \"monte_carlo\", \"latin_hypercube\" or \"sobol\"" \
  's/^design = "monte_carlo"/design = "saltelli"/'
bad_evidence "more than 2^40 runs" "evidence': a study with evidence has at most 2\^40 runs \(its weight sums are 64-bit counts" \
  's/^runs = 1_000_000/runs = 1_099_511_627_777/'
bad_evidence "error in rejection mode" "evidence\[0\].error': has no meaning with \[weighting\] method = \"rejection\"" \
  's/^method = "likelihood"/method = "rejection"/'
bad_evidence "rejection state without tolerance" "evidence\[3\].tolerance': a state item needs a tolerance > 0" \
  's/^method = "likelihood"/method = "rejection"/; /^error = /d; /^sd = /d'
bad_evidence "tolerance in likelihood mode" "evidence\[2\].tolerance': applies to \[weighting\] method = \"rejection\" only" \
  's/^happened = false /tolerance = 1\nhappened = false /'
bad_evidence "warn_ess_share of 0" "weighting.warn_ess_share': value 0 out of range: must be in \(0, 1\]" \
  's/^warn_ess_share = 0.01/warn_ess_share = 0/'
bad_evidence "unknown weighting method" "weighting.method': \"abc\" is not one of \"likelihood\", \"rejection\"" \
  's/^method = "likelihood"/method = "abc"/'
sed -e 's/^\[analysis\]/[weighting]\nmethod = "rejection"\n\n[analysis]/' "$SRC/configs/baseline.toml" > "$WORK/weighting.toml"
expect 2 "weighting.toml:[0-9]+: key 'weighting': weights the runs by \[\[evidence\]\], and there is none" \
  "evidence: [weighting] without evidence" -- "$BIN" run "$WORK/weighting.toml" -n 1000 -o "$OUT/case.h5"
expect 2 "key '-n': a study with evidence has at most 2\^40 runs" "evidence: -n above 2^40" -- \
  "$BIN" run "$SRC/configs/since-2025.toml" -n 1099511627777 -o "$OUT/case.h5"
expect 0 "valid; 3 strategies, .*, 5 evidence items \(likelihood\)" "evidence: validate the example" -- \
  "$BIN" validate "$SRC/configs/since-2025.toml"
expect 2 "is a directory, not a configuration file" "a directory as CONFIG" -- "$BIN" run "$WORK"
expect 2 "key '-o': .* is a directory" "-o naming a directory, refused before the run" -- "$BIN" run "$SRC/configs/baseline.toml" -n 1000 -o "$OUT"
expect 2 "key '--seed': 'abc' is not a whole number" "--seed abc" -- "$BIN" run "$SRC/configs/baseline.toml" --seed abc
expect 2 "threads|1 - 4096|not in range" "--threads 0" -- "$BIN" run "$SRC/configs/baseline.toml" --threads 0
expect 2 "checkpoint-every" "--checkpoint-every -1" -- "$BIN" run "$SRC/configs/baseline.toml" --checkpoint-every -1
[[ -z $(ls -A "$OUT") ]] && ok "no file written by any refused command" || bad "files left: $(ls "$OUT")"
expect 0 "valid; 3 strategies" "validate a good file" -- "$BIN" validate "$SRC/configs/baseline.toml"
expect 0 "wedge [0-9]+\.[0-9]+\.[0-9]+" "--version" -- "$BIN" --version
expect 0 "Subcommands|run" "--help" -- "$BIN" --help
# A file whose design attribute disagrees with its configuration (the design decides which runs
# are which points): extending or merging it would mix two studies. (Read unverified: the edit
# alone already breaks the file's checksum.)
"$BIN" run "$SRC/configs/ishigami.toml" -n 640 -q -o "$WORK/mc.h5"
/usr/bin/python3 -c "import h5py; f = h5py.File('$WORK/mc.h5', 'r+'); f.attrs['design'] = 'sobol'"
cp "$WORK/mc.h5" "$WORK/mc-before.h5"
expect 2 "mc.h5: key 'design': the file says design \"sobol\" but its configuration says \"monte_carlo\"" \
  "--extend of a file of another design" -- env WEDGE_UNCHECKED_FILES=1 "$BIN" run --extend "$WORK/mc.h5" -n 640
cmp -s "$WORK/mc.h5" "$WORK/mc-before.h5" && ok "the refused file is untouched" || bad "the refused file changed"
# A result file of another kind is refused by name.
/usr/bin/python3 -c "import h5py; f = h5py.File('$WORK/other.h5', 'w'); f.attrs['filetype'] = 'statepoint'"
expect 2 "other.h5: key 'filetype': not a wedge result file" "foreign HDF5 file" -- "$BIN" info "$WORK/other.h5"
finish
