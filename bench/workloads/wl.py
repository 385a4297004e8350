# Helpers shared by the workload scripts: key=value arguments and the
# result line that bench/run reads.  Plain Python, so that every workload
# runs unchanged on twinpy and on CPython.
import sys


def params(defaults):
    """The defaults, overridden by NAME=VALUE command-line arguments.  A
    value takes the type of its default (int, float or str)."""
    out = dict(defaults)
    for arg in sys.argv[1:]:
        if "=" not in arg:
            raise SystemExit("usage: %s [NAME=VALUE ...]" % sys.argv[0])
        key, value = arg.split("=", 1)
        if key not in out:
            raise SystemExit("unknown parameter %r (known: %s)" % (key, ", ".join(sorted(out))))
        kind = type(out[key])
        out[key] = kind(value)
    return out


def report(**fields):
    """Print the result line: '@' and NAME=VALUE pairs, values without
    spaces.  bench/run takes the last such line of a run."""
    parts = ["@"]
    for key in sorted(fields):
        value = fields[key]
        if isinstance(value, float):
            value = "%.6g" % value
        parts.append("%s=%s" % (key, value))
    print(" ".join(parts))
    sys.stdout.flush()


def percentile(sorted_values, fraction):
    """The value below which FRACTION of SORTED_VALUES lie (nearest rank)."""
    if not sorted_values:
        return 0.0
    i = int(fraction * len(sorted_values) + 0.5) - 1
    if i < 0:
        i = 0
    if i >= len(sorted_values):
        i = len(sorted_values) - 1
    return sorted_values[i]
