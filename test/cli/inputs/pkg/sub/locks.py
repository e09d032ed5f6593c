import threading

lock = threading.Lock()
items = []


def add(item):
    lock.acquire()
    items.append(item)
    lock.release()


def fine(item):
    with lock:
        items.append(item)
