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
