import threading
import time

from workers.base import Service, Worker
from workers.slow import read_slowly


class Tail(Worker):
    """Only the worker's own thread (the inherited run()) takes _lock: waiting under it delays nobody."""

    def __init__(self, path):
        super().__init__()
        self._lock = threading.Lock()
        self._path = path

    def poll(self):
        with self._lock:
            time.sleep(0.1)
            self._read()

    def _read(self):
        return read_slowly(self._path)


class SharedTail(Worker):
    """stop() runs on another thread and calls on_stop(), which takes the same lock."""

    def __init__(self, path):
        super().__init__()
        self._lock = threading.Lock()
        self._path = path

    def poll(self):
        with self._lock:
            time.sleep(0.1)  # TW404
            read_slowly(self._path)  # TW404

    def on_stop(self):
        with self._lock:
            self._path = None


class Ticker(Service):
    """Its base is no thread: step() runs on whichever thread calls start()."""

    def __init__(self):
        self._lock = threading.Lock()
        self._ticks = 0

    def step(self):
        with self._lock:
            time.sleep(1)  # TW404
            self._ticks += 1

    def ticks(self):
        with self._lock:  # a reader waits out the sleep
            return self._ticks


async def main():
    tail = Tail("log")
    tail.start()
    tail.join()  # TW106


POLLS = 0


class Counter(Worker):
    """poll() runs on the thread the inherited run() starts: the global's update races with other counters."""

    def poll(self):
        global POLLS
        POLLS += 1  # TW502
