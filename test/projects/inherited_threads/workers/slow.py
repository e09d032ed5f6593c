import time


def read_slowly(path):
    time.sleep(1)
    return path
