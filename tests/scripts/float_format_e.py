x = 12345.6789
print(format(x, "e"), format(x, ".2e"), format(x, "E"), format(x, ".0e"))
print(format(0.000123, ".3e"), format(-1.5, "e"), format(0.0, "e"))
print("%e %.3E %10.2e|" % (x, x, x))
print(format(1e100, "e"), format(1e-100, ".1e"), format(5e-324, "e"))
print(format(7, "e"), f"{123:.1e}")
