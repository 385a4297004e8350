class BankError(Exception):
    pass


class InsufficientFunds(BankError):
    def __init__(self, need, have):
        super().__init__("need %d, have %d" % (need, have))


def withdraw(balance, amount):
    if amount > balance:
        raise InsufficientFunds(amount, balance)
    return balance - amount


b = withdraw(100, 30)
print("balance", b)
withdraw(b, 500)
