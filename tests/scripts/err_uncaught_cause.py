def lookup(d, k):
    try:
        return d[k]
    except KeyError as e:
        raise LookupError("no entry for " + repr(k)) from e


print(lookup({"a": 1}, "a"))
lookup({}, "b")
