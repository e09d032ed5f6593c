import time

from tornado.concurrent import run_on_executor


class Jobs:
    executor = None

    @run_on_executor
    def slow(self):
        time.sleep(1)

    def fast(self):
        return 1


def blocking_job():
    time.sleep(1)


async def async_job():
    return 1


def fetch_if_remote(name):
    # Blocks only in one branch: which one a caller takes is not known across modules.
    if name.startswith("http"):
        time.sleep(1)
    return name


def start(loop):
    # Returns early when a loop runs (as it does in a coroutine): the wait after it is not reached there.
    if loop is not None:
        return loop
    time.sleep(1)
    return None


def load_all(names):
    # Blocks on every call: the loop body counts as taken.
    for name in names:
        time.sleep(0.1)
    return names


def settle(name):
    # The helper it calls blocks only sometimes; the call itself is made every time.
    return fetch_if_remote(name)
