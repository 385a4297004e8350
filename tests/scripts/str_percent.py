print("%s and %s" % ("this", "that"))
print("%d items cost %.2f" % (3, 9.5))
print("%5s|%-5s|%.2s|" % ("ab", "ab", "abcdef"))
print("%r %s" % ("q", "q"))
print("%x %X %o %#x %#o %e %g %c %c" % (255, 255, 8, 255, 8, 1234.5, 0.0001, 65, "z"))
print("%+d % d %05d %-6d|" % (5, 5, 5, 5))
print("%(name)s is %(age)d" % {"name": "Ann", "age": 30})
print("100%% sure" % (), "%s%%" % 50)
print("%s" % ((1, 2),))
print("%s" % [1, 2], "%s" % None, "%d" % True, "%.1f" % 2)
print("%*d|%-*d|" % (5, 42, 5, 42))
print("%.3s|%10.4f|%-10.2e|" % ("abcdef", 3.14159, 31415.9))
print("%i %u" % (7, 8))
for bad in [("%d", "x"), ("%s %s", ("one",)), ("%s", (1, 2))]:
    try:
        bad[0] % bad[1]
    except TypeError as e:
        print("TypeError:", e)
