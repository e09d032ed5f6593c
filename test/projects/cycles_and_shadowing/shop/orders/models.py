import time


def save():
    time.sleep(1)
