l = list(range(10))
print(l[-3:], l[:-3], l[-5:-2], l[-2:-5], l[-2:-5:-1])
print(l[::-1][:3], l[-1::-4], l[5::-1], l[:5:-1])
print(l[-100:100], l[100:-100:-1])
s = "python"
print(s[-1], s[-6], s[-3:-1], s[::-2], s[-1:0:-1])
try:
    s[-7]
except IndexError as e:
    print("IndexError:", e)
