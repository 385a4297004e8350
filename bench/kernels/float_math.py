# Floating-point arithmetic: a Mandelbrot escape-time count using + - * only.
import sys

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
size = int(400 * scale ** 0.5)
max_iter = 50
inside = 0
total_iter = 0
for py in range(size):
    ci = py * 2.4 / size - 1.2
    for px in range(size):
        cr = px * 3.0 / size - 2.1
        zr = 0.0
        zi = 0.0
        k = 0
        while k < max_iter:
            zr2 = zr * zr
            zi2 = zi * zi
            if zr2 + zi2 > 4.0:
                break
            zi = 2.0 * zr * zi + ci
            zr = zr2 - zi2 + cr
            k += 1
        total_iter += k
        if k == max_iter:
            inside += 1
print("float_math", size, inside, total_iter)
