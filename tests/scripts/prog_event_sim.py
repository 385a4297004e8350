# A discrete-event simulation of a queue with a deterministic arrival pattern.


class Event:
    def __init__(self, time, kind, customer):
        self.time = time
        self.kind = kind
        self.customer = customer

    def __lt__(self, other):
        return (self.time, self.customer) < (other.time, other.customer)


class Simulation:
    def __init__(self, service_times, arrivals):
        self.events = []
        self.clock = 0
        self.queue = []
        self.busy = False
        self.service_times = service_times
        self.log = []
        self.waits = {}
        for i, t in enumerate(arrivals):
            self.schedule(Event(t, "arrive", i))

    def schedule(self, event):
        self.events.append(event)
        self.events.sort()

    def run(self):
        while self.events:
            ev = self.events.pop(0)
            self.clock = ev.time
            getattr(self, "on_" + ev.kind)(ev.customer)

    def on_arrive(self, c):
        self.log.append("%3d arrive %d" % (self.clock, c))
        self.waits[c] = self.clock
        if self.busy:
            self.queue.append(c)
        else:
            self.start(c)

    def start(self, c):
        self.busy = True
        self.waits[c] = self.clock - self.waits[c]
        duration = self.service_times[c % len(self.service_times)]
        self.log.append("%3d start  %d (waited %d)" % (self.clock, c, self.waits[c]))
        self.schedule(Event(self.clock + duration, "depart", c))

    def on_depart(self, c):
        self.log.append("%3d depart %d" % (self.clock, c))
        self.busy = False
        if self.queue:
            self.start(self.queue.pop(0))


sim = Simulation([4, 2, 7, 3], [0, 1, 2, 3, 10, 11, 20, 21, 22])
sim.run()
print("\n".join(sim.log))
print("average wait %.2f" % (sum(sim.waits.values()) / len(sim.waits)))
print("max wait", max(sim.waits.values()), "end time", sim.clock)
