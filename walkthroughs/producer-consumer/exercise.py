"""Exercise: this pipeline never finishes. Threadwise marks the line that explains why.

Put the cursor on the underlined call and press Ctrl+. (Cmd+. on macOS) to see the fix.
The walkthrough step ticks itself once Threadwise reports nothing left in this file.
"""
import queue
import threading

SENTINEL = None
CONSUMERS = 2


def produce(jobs: queue.Queue, count: int) -> None:
    for n in range(count):
        jobs.put(n)
    for _ in range(CONSUMERS):
        jobs.put(SENTINEL)


def consume(jobs: queue.Queue, results: queue.Queue) -> None:
    while True:
        item = jobs.get()
        try:
            if item is SENTINEL:
                return
            results.put(item * 2)
        finally:
            jobs.task_done()


def main() -> None:
    jobs: queue.Queue = queue.Queue(maxsize=4)
    results: queue.Queue = queue.Queue()
    producer = threading.Thread(target=produce, args=(jobs, 20))
    consumers = [threading.Thread(target=consume, args=(jobs, results)) for _ in range(CONSUMERS)]
    # The producer runs here, in the main thread, before any consumer exists: after four
    # items the bounded queue is full and put() waits forever.
    producer.run()
    for c in consumers:
        c.start()
    producer.join()
    jobs.join()
    for c in consumers:
        c.join()
    print(f"processed {results.qsize()} items")


if __name__ == "__main__":
    main()
