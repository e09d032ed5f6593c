from workers.base import Blank, Looper


class Watcher(Looper):
    """The inherited run() does the work: no target needed."""

    def loop_once(self):
        print("watching")


class Idle(Blank):
    pass


def start_all():
    Watcher().start()
    Idle().start()  # TW303
