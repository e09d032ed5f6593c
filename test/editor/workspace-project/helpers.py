import time


def fetch(path):
    time.sleep(1)
    return "data:" + path
