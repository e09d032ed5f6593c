import threading

from jobs.counters import count, hit, miss
from jobs.pools import POOL, Worker, kept_pool, make_pool


def start():
    threading.Thread(target=count).start()
    miss()


def submit_all():
    POOL.submit(hit)  # TW305


async def main():
    worker = Worker()
    worker.run()  # TW301
    worker.join()  # TW106
    pool = make_pool()
    with pool:
        pool.submit(hit).result()  # TW106


def leak_pool():
    pool = make_pool()  # TW306
    future = pool.submit(hit)
    return future


def wait_on_pool():
    pool = make_pool()  # ok: its one job is waited for where it is submitted
    pool.submit(hit).result()


def close_pool():
    pool = make_pool()  # ok: shut down below
    pool.submit(hit).result()
    pool.shutdown()


def borrow_pool():
    pool = kept_pool()  # ok: the module keeps it; this caller does not own it
    pool.submit(hit).result()
