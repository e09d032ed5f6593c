"""Producer-consumer: a bounded queue between threads, shut down with one sentinel per consumer.

Run it: python3 example.py
"""
import queue
import threading
import time

SENTINEL = None  # a value no producer ever puts: "no more work"
CONSUMERS = 3


def produce(jobs: queue.Queue, count: int) -> None:
    for n in range(count):
        # put() blocks while the queue is full: a fast producer waits for slow consumers
        # instead of filling memory (back-pressure).
        jobs.put(n)
    for _ in range(CONSUMERS):
        jobs.put(SENTINEL)


def consume(name: str, jobs: queue.Queue, results: queue.Queue) -> None:
    while True:
        item = jobs.get()
        try:
            if item is SENTINEL:
                return
            time.sleep(0.01)  # stands in for I/O: network, disk, a database
            results.put((name, item * item))
        finally:
            # Every get() is matched by one task_done(), even when the work raises,
            # so jobs.join() below cannot wait forever.
            jobs.task_done()


def report_thread_error(args: threading.ExceptHookArgs) -> None:
    # Without a hook an exception in a thread is printed and the thread dies quietly.
    name = args.thread.name if args.thread else "?"
    print(f"worker {name} failed: {args.exc_type.__name__}: {args.exc_value}")


def main() -> None:
    threading.excepthook = report_thread_error
    jobs: queue.Queue = queue.Queue(maxsize=8)  # bounded: the producer cannot run away
    results: queue.Queue = queue.Queue()
    producer = threading.Thread(target=produce, args=(jobs, 40), name="producer")
    consumers = [
        threading.Thread(target=consume, args=(f"c{i}", jobs, results), name=f"c{i}")
        for i in range(CONSUMERS)
    ]
    producer.start()
    for c in consumers:
        c.start()
    producer.join()
    jobs.join()  # every item, sentinels included, was taken and marked done
    for c in consumers:
        c.join(timeout=5)
    total = 0
    per_consumer: dict[str, int] = {}
    while not results.empty():
        name, value = results.get_nowait()
        total += value
        per_consumer[name] = per_consumer.get(name, 0) + 1
    print(f"sum of squares: {total}")
    print(f"items per consumer: {dict(sorted(per_consumer.items()))}")


if __name__ == "__main__":
    main()
