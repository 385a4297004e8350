x = 1234.56789
print(format(x, ".0f"), format(x, ".1f"), format(x, ".3f"), format(x, "f"))
print("%.2f %.0f %f %10.3f|%-10.1f|" % (x, x, x, x, x))
print(format(0.5, ".0f"), format(1.5, ".0f"), format(2.5, ".0f"), format(-0.5, ".0f"))
print(format(1e20, ".2f"), format(1e-10, ".12f"), format(-0.0, ".1f"))
print("{:.3f} {:8.2f} {:+.1f} {: .1f}".format(3.14159, 2.5, 2.0, 2.0))
print(format(2.675, ".2f"), format(1.0005, ".3f"), format(123.0, ".10f"))
print(f"{7:.2f}", f"{True:.1f}")
