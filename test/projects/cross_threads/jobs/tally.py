import threading

LOCK = threading.Lock()
SEEN = {}
STEPS = 0
GUARDED = 0
DONE = 0


def record(key):
    """Called from a thread target in another module (workers.py): runs on those threads."""
    if key not in SEEN:  # TW503
        SEEN[key] = 0
    step()


def step():
    """Called by record() only: on the same threads, through this module's own calls."""
    global STEPS
    STEPS += 1  # TW502


def guarded():
    """The caller in workers.py holds its lock around the call: the caller guards it."""
    global GUARDED
    GUARDED += 1


def finish():
    """Called by workers.py on the main thread only."""
    global DONE
    DONE += 1


class Meter:
    def __init__(self):
        self.count = 0

    def tick(self):
        # A method of an object thread code calls: which threads share the object is not known.
        self.count += 1
