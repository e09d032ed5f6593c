# A file name with a comma and a space, and non-ASCII text before findings on the same line.
import threading

counter = 0


def work():
    label = "çà→🙂"; t = threading.Thread(target=print); t.run()


def worker():
    global counter
    for _ in range(1000):
        counter += 1


threads = [threading.Thread(target=worker) for _ in range(4)]
