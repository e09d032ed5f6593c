import time

from . import locks
from .locks import ACCOUNTS, LEDGER


def record(entry):
    with LEDGER:
        return entry


def settle():
    with ACCOUNTS:
        return 1


def write_slowly(entry):
    time.sleep(0.5)
    return entry


def audit():
    with locks.AUDIT:
        return 1


def log_only(entry):
    return entry
