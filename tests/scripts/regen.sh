#!/bin/sh
# Recreate the expected results of the script tests from CPython:
#   tests/scripts/regen.sh [NAME...]      (default: every NAME.py but mod_*)
# For each NAME.py, runs `python3 NAME.py [args from NAME.args]` in this
# directory with stdin from NAME.in (or /dev/null) and writes
#   NAME.out  stdout
#   NAME.rc   exit status
#   NAME.err  stderr, only when the exit status is nonzero, with this
#             directory's absolute path removed from file names (CPython
#             prints the script's absolute path; see tests/run_script.sh).
# PYTHON overrides the interpreter (default: python3, CPython 3.11 on the
# project machines).  -B keeps __pycache__ out of the tree, -E and -s keep
# the environment and the user's site-packages out of the results.
# Prints a warning for a nonzero status in a script whose name does not
# announce an error (err_*, tb_*, sys_exit_*).
set -u
cd "$(dirname "$0")" || exit 2
py=${PYTHON:-python3}
logical=$(pwd -L)/
physical=$(pwd -P)/
echo "regen.sh: expected results from $($py -c 'import sys; print(sys.version.split()[0])') ($py)"

if [ $# -eq 0 ]; then
    set -- $(ls -- *.py | sed -n '/^mod_/d; s/\.py$//p')
fi

status=0
for name in "$@"; do
    name=${name%.py}
    args=
    [ -f "$name.args" ] && args=$(cat "$name.args")
    input=/dev/null
    [ -f "$name.in" ] && input=$name.in
    # shellcheck disable=SC2086
    timeout -k 5 60 "$py" -B -E -s "$name.py" $args <"$input" >"$name.out" 2>"$name.err.tmp"
    rc=$?
    echo "$rc" >"$name.rc"
    if [ "$rc" -ne 0 ]; then
        awk -v a="$logical" -v b="$physical" '
            function strip(s, p,   i) {
                while ((i = index(s, p)) > 0)
                    s = substr(s, 1, i - 1) substr(s, i + length(p))
                return s
            }
            { print strip(strip($0, a), b) }' "$name.err.tmp" >"$name.err"
        case $name in
            err_* | tb_* | sys_exit_*) ;;
            *) echo "warning: $name exited with status $rc"; status=1 ;;
        esac
    else
        rm -f "$name.err"
        case $name in
            err_* | tb_*) echo "warning: $name exited with status 0"; status=1 ;;
        esac
    fi
    rm -f "$name.err.tmp"
done
exit $status
