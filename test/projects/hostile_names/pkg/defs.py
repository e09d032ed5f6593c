import threading
from concurrent.futures import ThreadPoolExecutor

# Names JavaScript objects treat specially are ordinary Python names.
__proto__ = ThreadPoolExecutor()  # TW306
constructor = ThreadPoolExecutor()  # TW306


class hasOwnProperty(threading.Thread):
    pass


def toString():
    return ThreadPoolExecutor()
