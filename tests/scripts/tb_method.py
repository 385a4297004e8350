class Account:
    def __init__(self, balance):
        self.balance = balance

    def withdraw(self, amount):
        if amount > self.balance:
            raise RuntimeError("insufficient funds")
        self.balance -= amount

    def close(self):
        self.withdraw(self.balance + 1)


acct = Account(10)
acct.withdraw(3)
print(acct.balance)
acct.close()
