"""Solution: the producer is started in its own thread, so consumers drain the queue as it fills."""
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
    producer.start()
    for c in consumers:
        c.start()
    producer.join()
    jobs.join()
    for c in consumers:
        c.join()
    print(f"processed {results.qsize()} items")


if __name__ == "__main__":
    main()
