# An object-oriented scheduler simulation: tasks of four classes exchange
# packets through a scheduler that always runs the highest-priority ready
# task; method calls through a class hierarchy, attribute reads and writes,
# linked lists of objects.
import sys

scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0


class Packet:
    def __init__(self, kind, dest, datum):
        self.kind = kind
        self.dest = dest
        self.datum = datum
        self.link = None


class Task:
    def __init__(self, ident, priority, sched):
        self.ident = ident
        self.priority = priority
        self.sched = sched
        self.inbox = []
        self.waiting = False
        self.runs = 0

    def ready(self):
        return not self.waiting or len(self.inbox) > 0

    def deliver(self, packet):
        self.inbox.append(packet)
        self.waiting = False

    def step(self):
        self.runs += 1
        packet = self.inbox.pop(0) if self.inbox else None
        return self.run(packet)

    def run(self, packet):
        raise NotImplementedError


class Idle(Task):
    def __init__(self, ident, sched, seed):
        super().__init__(ident, 0, sched)
        self.seed = seed

    def run(self, packet):
        self.seed = (self.seed * 1103515245 + 12345) & 0x7FFFFFFF
        dest = 2 + (self.seed >> 8) % 2
        return self.sched.send(Packet("work", dest, self.seed & 0xFF))


class Worker(Task):
    def __init__(self, ident, priority, sched, device):
        super().__init__(ident, priority, sched)
        self.device = device
        self.total = 0

    def run(self, packet):
        if packet is None:
            self.waiting = True
            return None
        self.total += packet.datum
        packet.dest = self.device
        packet.datum = (packet.datum * 7 + self.ident) % 251
        return self.sched.send(packet)


class Device(Task):
    def __init__(self, ident, priority, sched):
        super().__init__(ident, priority, sched)
        self.done = 0
        self.checksum = 0

    def run(self, packet):
        if packet is None:
            self.waiting = True
            return None
        self.done += 1
        self.checksum = (self.checksum * 31 + packet.datum) % 1000003
        return None


class Scheduler:
    def __init__(self):
        self.tasks = {}
        self.order = []
        self.sent = 0

    def add(self, task):
        self.tasks[task.ident] = task
        self.order.append(task)
        self.order.sort(key=lambda t: -t.priority)

    def send(self, packet):
        self.sent += 1
        self.tasks[packet.dest].deliver(packet)
        return packet

    def pick(self):
        for task in self.order:
            if task.ready():
                return task
        return None

    def run(self, steps):
        for _ in range(steps):
            task = self.pick()
            if task is None:
                break
            task.step()


steps = int(700_000 * scale)
s = Scheduler()
s.add(Idle(1, s, 42))
s.add(Worker(2, 5, s, 4))
s.add(Worker(3, 6, s, 5))
s.add(Device(4, 8, s))
s.add(Device(5, 9, s))
s.run(steps)
t = s.tasks
print("scheduler", steps, s.sent, t[2].total, t[3].total, t[4].done, t[4].checksum,
      t[5].done, t[5].checksum)
