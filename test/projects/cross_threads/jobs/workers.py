import threading

from jobs import tally
from jobs.tally import Meter, record

METER = Meter()
CALLER_LOCK = threading.Lock()


def work(key):
    record(key)
    METER.tick()
    with CALLER_LOCK:
        tally.guarded()


def start():
    for key in range(4):
        threading.Thread(target=work, args=(key,)).start()
    tally.finish()
