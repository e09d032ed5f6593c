# snippet: prefix tw-worker-shutdown
# snippet: title Worker thread with graceful shutdown (Event)
# snippet: description Background worker thread that repeats its work until a threading.Event is set; Event.wait doubles as an interruptible sleep, so stop() takes effect at once.
# snippet: $1 = PeriodicWorker
# snippet: $2 = do_work
# snippet: begin
import logging
import threading


class PeriodicWorker:
    def __init__(self, interval=1.0):
        self._interval = interval
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=type(self).__name__)

    def start(self):
        self._thread.start()

    def stop(self):
        """Asks the worker to finish its current round and waits until it has."""
        self._stopping.set()
        self._thread.join()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def _run(self):
        # wait() returns True as soon as stop() sets the event, unlike time.sleep.
        while not self._stopping.wait(self._interval):
            try:
                self.do_work()
            except Exception:
                # Log and carry on: an exception would silently end the thread.
                logging.exception("worker round failed")

    def do_work(self):
        """One round of work, in the worker thread."""
        # snippet: $0
        print("working")
# snippet: end


if __name__ == "__main__":
    import time

    with PeriodicWorker(interval=0.05):
        time.sleep(0.3)  # the main thread does something else meanwhile
    print("stopped cleanly")
