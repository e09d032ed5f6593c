import threading


class Worker(threading.Thread):
    """Runs poll() until stopped; subclasses say what one poll does."""

    def __init__(self):
        super().__init__(daemon=True)
        self._stopped = threading.Event()

    def run(self):
        while not self._stopped.is_set():
            self.poll()

    def poll(self):
        raise NotImplementedError

    def stop(self):
        # Runs on the caller's thread.
        self._stopped.set()
        self.on_stop()

    def on_stop(self):
        pass


class Service:
    """Not a thread: start() calls the subclass's step() on the caller's thread."""

    def start(self):
        self.step()

    def step(self):
        raise NotImplementedError


class Looper(threading.Thread):
    """Its run() is the work; subclasses elsewhere are built without a target."""

    def run(self):
        self.loop_once()

    def loop_once(self):
        pass


class Blank(threading.Thread):
    """Neither run() nor __init__: a subclass built without a target starts nothing."""

    name_prefix = "blank"
