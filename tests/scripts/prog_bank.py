# A small bank simulation: accounts, transfers, interest, a ledger and errors.


class InsufficientFunds(Exception):
    def __init__(self, account, amount):
        super().__init__("%s cannot pay %d (balance %d)" % (account.owner, amount, account.balance))
        self.account = account
        self.amount = amount


class Account:
    next_number = 1000

    def __init__(self, owner, balance=0):
        self.owner = owner
        self.balance = balance
        self.number = Account.next_number
        Account.next_number += 1
        self.history = []

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("deposit must be positive")
        self.balance += amount
        self.history.append(("deposit", amount))

    def withdraw(self, amount):
        if amount > self.balance:
            raise InsufficientFunds(self, amount)
        self.balance -= amount
        self.history.append(("withdraw", amount))

    def __repr__(self):
        return "%s(#%d, %s, %d)" % (type(self).__name__, self.number, self.owner, self.balance)


class SavingsAccount(Account):
    def __init__(self, owner, balance=0, rate_percent=2):
        super().__init__(owner, balance)
        self.rate_percent = rate_percent

    def add_interest(self):
        interest = self.balance * self.rate_percent // 100
        if interest:
            self.deposit(interest)
        return interest


class CheckingAccount(Account):
    overdraft = 50

    def withdraw(self, amount):
        if amount > self.balance + self.overdraft:
            raise InsufficientFunds(self, amount)
        self.balance -= amount
        self.history.append(("withdraw", amount))


class Bank:
    def __init__(self, name):
        self.name = name
        self.accounts = {}
        self.ledger = []

    def open(self, kind, owner, balance=0):
        acct = kind(owner, balance)
        self.accounts[acct.number] = acct
        self.ledger.append("open %d %s" % (acct.number, owner))
        return acct

    def transfer(self, src, dst, amount):
        try:
            src.withdraw(amount)
        except InsufficientFunds as e:
            self.ledger.append("FAILED transfer %d -> %d: %s" % (src.number, dst.number, e))
            return False
        dst.deposit(amount)
        self.ledger.append("transfer %d -> %d: %d" % (src.number, dst.number, amount))
        return True

    def total(self):
        return sum(a.balance for a in self.accounts.values())

    def report(self):
        lines = ["== %s ==" % self.name]
        for number in sorted(self.accounts):
            a = self.accounts[number]
            lines.append("%-6d %-8s %-16s %8d" % (number, a.owner, type(a).__name__, a.balance))
        lines.append("total: %d" % self.total())
        return "\n".join(lines)


bank = Bank("Twin Savings")
alice = bank.open(SavingsAccount, "alice", 1000)
bob = bank.open(CheckingAccount, "bob", 100)
carol = bank.open(Account, "carol")
print(alice, bob, carol)
print(bank.transfer(alice, bob, 250))
print(bank.transfer(bob, carol, 380))
print(bank.transfer(bob, carol, 100))
print(bank.transfer(carol, alice, 1000))
for month in range(1, 4):
    print("month", month, "interest", alice.add_interest())
try:
    carol.deposit(-5)
except ValueError as e:
    print("ValueError:", e)
print(bank.report())
print("\n".join(bank.ledger))
print(alice.history)
print(bob.history)
richest = max(bank.accounts.values(), key=lambda a: a.balance)
print("richest:", richest.owner)
