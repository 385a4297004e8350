# At exit the runtime waits for non-daemon threads (their output comes
# after the main program's last line) but not for daemon threads.
import threading
import time

forever = threading.Event()
daemon = threading.Thread(target=forever.wait, daemon=True)
daemon.start()


def late(n, before):
    if before is not None:
        before.join()
    time.sleep(0.05)
    print("late thread", n, "finished")


first = threading.Thread(target=late, args=(1, None))
first.start()
threading.Thread(target=late, args=(2, first)).start()
print("active:", threading.active_count())
names = sorted(t.name for t in threading.enumerate())
print(names)
print("main program ends")
