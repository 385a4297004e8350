vals = [1234.5, 0.00001234, 123456789.0, 1.0, 0.5, 100000.0, 1000000.0, 1e-4, 1e-5, 3.14159265]
for v in vals:
    print(format(v, "g"), format(v, ".3g"), format(v, ".10g"), format(v, "G"))
print("%g %g %.2g %#g" % (0.0001, 1e16, 123.0, 1.0))
print(format(1e16, ".17g"), format(0.1, ".17g"), format(2.0, "#.3g"))
