class Account:
    def __init__(self):
        self._balance = 0

    def get_balance(self):
        return self._balance

    def set_balance(self, v):
        self._balance = max(0, v)

    balance = property(get_balance, set_balance)
    readonly = property(lambda self: "ro")


a = Account()
a.balance = 50
print(a.balance)
a.balance = -10
print(a.balance)
print(a.readonly)
p = property(lambda self: 1)
print(type(p).__name__)
