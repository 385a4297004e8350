a = {"x": 1, "y": 2}
b = {"y": 2, "x": 1}
print(a == b, list(a) == list(b), a != {"x": 1})
print({1: 1.0} == {1.0: 1}, {} == {}, {"a": [1]} == {"a": [1]})
print(repr({"s": 's"q', "n": None, 1.5: [1, (2,)]}))
print(str({}), repr({(): ()}))
print({"nested": {"deeper": {"deepest": 1}}})
print({i: str(i) * i for i in range(1, 4)})
