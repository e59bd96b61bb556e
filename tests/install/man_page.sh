#!/usr/bin/env bash
# docs/wedge.1 is in step with the program: every subcommand of `wedge --help` and every option of
# `wedge SUBCOMMAND --help` is in the man page (each option in the section of its subcommand),
# the page's version is the program's, and man renders it without warnings.
source "$(dirname "$0")/common.sh"
PAGE=$SRC/docs/wedge.1
# The page as text: roff's \- is -, font changes and comments dropped.
sed -e '/^\.\\"/d' -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$PAGE" > "$WORK/page.txt"
# Section of the page from `.SS "wedge SUB"` to the next heading (for the top level: OPTIONS up to
# the first subsection).
section() {
  if [[ $1 == top ]]; then awk '/^\.SH/ { on = ($0 ~ /OPTIONS/) } /^\.SS/ { on = 0 } on' "$WORK/page.txt"
  else awk -v h=".SS \"wedge $1\"" '/^\.S[HS]/ { on = ($0 == h) } on' "$WORK/page.txt"; fi
}
# The options of a help text: "-n,--runs UINT ..." gives -n and --runs.
options_of() { sed -n '/^Options:/,/^$/p' | grep -oE '^  -[^ ]+' | tr ',' '\n' | sed 's/^ *//'; }
has_word() { grep -qE -- "(^|[^-[:alnum:]])$1([^-[:alnum:]]|\$)"; }

mapfile -t subs < <("$BIN" --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && NF {print $1}')
((${#subs[@]} >= 4)) && ok "wedge --help lists ${#subs[@]} subcommands: ${subs[*]}" || bad "subcommands not found in wedge --help"
for sub in "${subs[@]}"; do
  if grep -qE "^\.BI? \"?$sub( |\"|$)" "$WORK/page.txt"; then ok "subcommand $sub in COMMANDS"
  else bad "subcommand $sub is not in the man page's COMMANDS"; fi
done

check_options() {  # check_options SECTION HELP_COMMAND...
  local where=$1 opt missing=()
  shift
  local text
  text=$(section "$where")
  while read -r opt; do
    [[ $opt == -h || $opt == --help ]] && where_help=1 && continue   # one -h/--help entry for all
    has_word "$opt" <<< "$text" || missing+=("$opt")
  done < <("$@" | options_of)
  if ((${#missing[@]} == 0)); then ok "every option of '$*' is in section '$where'"
  else bad "options of '$*' missing from the man page section '$where': ${missing[*]}"; fi
}
check_options top "$BIN" --help
for sub in "${subs[@]}"; do
  if "$BIN" "$sub" --help | options_of | grep -qvE '^(-h|--help)$'; then check_options "$sub" "$BIN" "$sub" --help
  else ok "$sub has no options beyond --help"; fi
done
section top | has_word --help && ok "-h, --help documented" || bad "-h/--help not documented"

version=$("$BIN" --version | awk '{print $2}')
grep -q "^\.TH WEDGE 1 .*\"wedge $version\"" "$PAGE" && ok "man page version is $version" \
  || bad "the .TH line of docs/wedge.1 does not say wedge $version"
LC_ALL=C.UTF-8 MANWIDTH=100 man --warnings -l "$PAGE" 2> "$WORK/warn" > /dev/null
[[ ! -s $WORK/warn ]] && ok "man renders docs/wedge.1 without warnings" || { cat "$WORK/warn"; bad "man warnings"; }
finish
