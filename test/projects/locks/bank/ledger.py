import threading
import time

from . import locks
from .locks import ACCOUNTS, LEDGER


def record(entry):
    with LEDGER:
        return entry


def settle():
    with ACCOUNTS:
        return 1


def write_slowly(entry):
    time.sleep(0.5)
    return entry


def audit():
    with locks.AUDIT:
        return 1


def log_only(entry):
    return entry


class Outbox:
    def __init__(self):
        self._lock = threading.Lock()
        self._ready = threading.Condition()
        self._items = []

    def push(self, item):
        # Takes its own lock for a moment: under a caller's lock that is lock order, not slow work.
        self._lock.acquire()
        try:
            self._items.append(item)
        finally:
            self._lock.release()

    def put(self, item, block=True):
        with self._ready:
            while block and len(self._items) > 10:
                self._ready.wait()
            self._items.append(item)
