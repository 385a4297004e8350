prices = {"apple": 1.25, "pear": 0.5, "melon": 3.0}
doubled = {k: v * 2 for k, v in prices.items()}
print(doubled)
cheap = {k for k, v in prices.items() if v < 2}
print(sorted(cheap))
inv = {v: k for k, v in prices.items()}
print(inv)
print(max(prices, key=prices.get), min(prices.items(), key=lambda kv: kv[1]))
print(sorted(prices, key=lambda k: -prices[k]))
total = 0.0
for name in sorted(prices):
    total += prices[name]
print(total)
