"""Locks without deadlocks: `with` for every lock, one global lock order, short critical sections,
a Condition for waiting on state, a Semaphore for limiting concurrency.

Run it: python3 example.py
"""
import faulthandler
import sys
import threading
import time


class Account:
    def __init__(self, number: int, balance: int) -> None:
        self.number = number  # also the account's place in the lock order
        self.balance = balance
        self.lock = threading.Lock()


def transfer(source: Account, target: Account, amount: int) -> None:
    # Two transfers in opposite directions would deadlock if each took its own source's lock
    # first. Taking locks in one global order (by account number) makes a cycle impossible.
    first, second = sorted((source, target), key=lambda a: a.number)
    with first.lock:
        with second.lock:
            source.balance -= amount
            target.balance += amount


class Mailbox:
    """A bounded buffer: producers wait while it is full, consumers while it is empty."""

    def __init__(self, capacity: int) -> None:
        self._items: list[int] = []
        self._capacity = capacity
        self._changed = threading.Condition()

    def put(self, item: int) -> None:
        with self._changed:
            # wait_for re-checks the predicate after every wake-up (wake-ups can be spurious).
            self._changed.wait_for(lambda: len(self._items) < self._capacity)
            self._items.append(item)
            self._changed.notify_all()

    def get(self) -> int:
        with self._changed:
            self._changed.wait_for(lambda: len(self._items) > 0)
            item = self._items.pop(0)
            self._changed.notify_all()
            return item


def main() -> None:
    # A hang guard for demos and tests: if the program is still running after 30 s, print
    # every thread's stack to stderr (where each one is blocked) and exit.
    faulthandler.dump_traceback_later(30, exit=True, file=sys.stderr)
    try:
        a, b = Account(1, 1000), Account(2, 1000)
        movers = [threading.Thread(target=lambda: [transfer(a, b, 1) for _ in range(500)]),
                  threading.Thread(target=lambda: [transfer(b, a, 1) for _ in range(500)])]
        for t in movers:
            t.start()
        for t in movers:
            t.join()
        print(f"balances after 1000 opposite transfers: {a.balance} + {b.balance} = {a.balance + b.balance}")

        box = Mailbox(capacity=2)
        received: list[int] = []
        consumer = threading.Thread(target=lambda: received.extend(box.get() for _ in range(10)))
        consumer.start()
        for n in range(10):
            box.put(n)
        consumer.join()
        print(f"through a buffer of 2: {received}")

        # At most 2 of the 6 workers hold the semaphore at once: a limit on concurrency
        # (connections, memory), not mutual exclusion.
        slots = threading.BoundedSemaphore(2)
        active = 0
        peak = 0
        count_lock = threading.Lock()

        def worker() -> None:
            nonlocal active, peak
            with slots:
                with count_lock:  # held for two assignments, not for the sleep: low contention
                    active += 1
                    peak = max(peak, active)
                time.sleep(0.02)
                with count_lock:
                    active -= 1

        workers = [threading.Thread(target=worker) for _ in range(6)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        print(f"most workers inside the semaphore at once: {peak}")
    finally:
        faulthandler.cancel_dump_traceback_later()


if __name__ == "__main__":
    main()
