import threading

from jobs.counters import count, hit, miss
from jobs.pools import POOL, Worker, make_pool


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
