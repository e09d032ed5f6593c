"""A background worker: submit() queues a callable, and the worker's thread calls it."""
import queue
import threading


class BackgroundWorker:
    def __init__(self):
        self._queue = queue.Queue(100)
        self._lock = threading.Lock()
        self._thread = None

    def start(self):
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._target, daemon=True)
                self._thread.start()

    def submit(self, callback):
        self.start()
        try:
            self._queue.put_nowait(callback)
            return True
        except queue.Full:
            return False

    def _target(self):
        while True:
            callback = self._queue.get()
            try:
                callback()
            finally:
                self._queue.task_done()


class Journal:
    """Takes lines from its queue and writes them: nothing it is given is called."""

    def __init__(self):
        self._lines = queue.Queue()

    def start(self):
        threading.Thread(target=self._write, daemon=True).start()

    def submit(self, line):
        self._lines.put(line)

    def _write(self):
        while True:
            line = self._lines.get()
            print(line)
