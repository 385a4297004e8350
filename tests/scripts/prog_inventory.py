# An inventory with orders, restocking, reports sorted several ways.


class Item:
    def __init__(self, sku, name, price_cents, qty):
        self.sku = sku
        self.name = name
        self.price_cents = price_cents
        self.qty = qty

    @property
    def value(self):
        return self.price_cents * self.qty

    def __repr__(self):
        return "Item(%r, %d)" % (self.sku, self.qty)


class OutOfStock(Exception):
    pass


class Inventory:
    def __init__(self):
        self.items = {}
        self.log = []

    def add(self, item):
        self.items[item.sku] = item

    def order(self, sku, qty):
        item = self.items.get(sku)
        if item is None:
            raise KeyError(sku)
        if item.qty < qty:
            raise OutOfStock("%s: want %d, have %d" % (sku, qty, item.qty))
        item.qty -= qty
        self.log.append((sku, -qty))
        return item.price_cents * qty

    def restock(self, threshold, amount):
        for item in self.items.values():
            if item.qty < threshold:
                item.qty += amount
                self.log.append((item.sku, amount))

    def total_value(self):
        return sum(i.value for i in self.items.values())


def money(cents):
    return "$%d.%02d" % divmod(cents, 100)


inv = Inventory()
for sku, name, price, qty in [("A1", "widget", 250, 10), ("B2", "gadget", 1999, 3),
                              ("C3", "doohickey", 75, 100), ("D4", "gizmo", 5000, 1)]:
    inv.add(Item(sku, name, price, qty))
print(money(inv.total_value()))
revenue = 0
for sku, qty in [("A1", 4), ("B2", 3), ("D4", 2), ("Z9", 1), ("C3", 60), ("A1", 6)]:
    try:
        cost = inv.order(sku, qty)
        revenue += cost
        print("order", sku, qty, money(cost))
    except OutOfStock as e:
        print("out of stock:", e)
    except KeyError as e:
        print("unknown sku:", e)
print("revenue", money(revenue))
inv.restock(5, 20)
print(sorted(inv.items.values(), key=lambda i: i.qty))
print([i.name for i in sorted(inv.items.values(), key=lambda i: (-i.value, i.name))])
print(inv.log)
print("%-10s %6s %10s" % ("name", "qty", "value"))
for item in inv.items.values():
    print("%-10s %6d %10s" % (item.name, item.qty, money(item.value)))
