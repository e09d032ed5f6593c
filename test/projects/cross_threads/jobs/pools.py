import threading
from concurrent.futures import ThreadPoolExecutor

POOL = ThreadPoolExecutor(max_workers=4)  # TW306


class Worker(threading.Thread):
    def run(self):
        pass


def make_pool():
    return ThreadPoolExecutor(max_workers=2)


_KEPT = None


def kept_pool():
    global _KEPT
    if _KEPT is None:
        _KEPT = ThreadPoolExecutor(max_workers=2)
    return _KEPT
