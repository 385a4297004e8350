#!/bin/sh
# Run one script test: run_script.sh TWINPY_BINARY SCRIPT_DIR NAME
#
# Runs `TWINPY_BINARY NAME.py [args from NAME.args]` in SCRIPT_DIR with stdin
# from NAME.in (or /dev/null), under a 60 s timeout, and passes iff
#   - stdout is byte-identical to NAME.out,
#   - the exit status equals NAME.rc,
#   - when NAME.err exists: the last line of stderr equals the last line of
#     NAME.err (the exception line), or, for tb_* scripts, stderr equals
#     NAME.err in full.
# Before stderr is compared, the absolute path of SCRIPT_DIR followed by a
# slash is removed from it: CPython prints the absolute path of the script
# in tracebacks, and NAME.err holds the names relative to SCRIPT_DIR
# (regen.sh strips them the same way), so a runtime may print either.
# On failure prints what differs (unified diffs) and exits 1; exits 2 on a
# usage error.  POSIX sh, timeout (coreutils) and diff.
# TWINPY_SCRIPT_TIMEOUT overrides the timeout in seconds.
set -u

if [ $# -ne 3 ]; then
    echo "usage: $0 TWINPY_BINARY SCRIPT_DIR NAME" >&2
    exit 2
fi
bin=$1
dir=$2
name=$3
limit=${TWINPY_SCRIPT_TIMEOUT:-60}

# A binary given by a relative path must survive the cd below; a bare name
# (python3) is looked up in PATH as usual.
case $bin in
    /*) ;;
    */*) bin=$(pwd -P)/$bin ;;
esac

cd "$dir" || exit 2
if [ ! -f "$name.py" ] || [ ! -f "$name.out" ] || [ ! -f "$name.rc" ]; then
    echo "$name: missing $name.py, $name.out or $name.rc in $dir" >&2
    exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/twinpy-script.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

args=
[ -f "$name.args" ] && args=$(cat "$name.args")
input=/dev/null
[ -f "$name.in" ] && input=$name.in

# $args is split on white space on purpose: NAME.args holds plain words.
# shellcheck disable=SC2086
timeout -k 5 "$limit" "$bin" "$name.py" $args <"$input" >"$tmp/out" 2>"$tmp/err.raw"
rc=$?

# Remove "<SCRIPT_DIR>/" (logical and physical spelling) from stderr.
logical=$(pwd -L)/
physical=$(pwd -P)/
awk -v a="$logical" -v b="$physical" '
    function strip(s, p,   i) {
        while ((i = index(s, p)) > 0)
            s = substr(s, 1, i - 1) substr(s, i + length(p))
        return s
    }
    { print strip(strip($0, a), b) }' "$tmp/err.raw" >"$tmp/err"

fail=0
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    echo "FAIL $name: timed out after ${limit}s (exit status $rc)"
    fail=1
fi

if ! cmp -s "$name.out" "$tmp/out"; then
    echo "FAIL $name: stdout differs (--- expected $name.out, +++ actual)"
    diff -u "$name.out" "$tmp/out"
    fail=1
fi

want_rc=$(cat "$name.rc")
if [ "$rc" != "$want_rc" ]; then
    echo "FAIL $name: exit status $rc, expected $want_rc"
    fail=1
fi

if [ -f "$name.err" ]; then
    case $name in
        tb_*)
            if ! cmp -s "$name.err" "$tmp/err"; then
                echo "FAIL $name: stderr differs (--- expected $name.err, +++ actual)"
                diff -u "$name.err" "$tmp/err"
                fail=1
            fi
            ;;
        *)
            want_last=$(tail -n 1 "$name.err")
            got_last=$(tail -n 1 "$tmp/err")
            if [ "$want_last" != "$got_last" ]; then
                echo "FAIL $name: last line of stderr differs"
                echo "-$want_last"
                echo "+$got_last"
                fail=1
            fi
            ;;
    esac
fi

if [ "$fail" -ne 0 ]; then
    if [ -s "$tmp/err" ] && [ ! -f "$name.err" ]; then
        echo "stderr (last 20 lines):"
        tail -n 20 "$tmp/err"
    fi
    exit 1
fi
echo "PASS $name"
exit 0
