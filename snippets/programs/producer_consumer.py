# snippet: prefix tw-producer-consumer
# snippet: title Producer-consumer (threads)
# snippet: description Producer-consumer with threads: a bounded queue.Queue for back-pressure, one sentinel per consumer to shut down, task_done()/join() to wait until every item is handled.
# snippet: $1 = handle_item
# snippet: $2 = produce_and_consume
# snippet: $3 = 4
# snippet: begin
import logging
import queue
import threading

# A unique end-of-work marker: no real item can be identical to it.
_SENTINEL = object()


def handle_item(item):
    """Handle one item; runs in a consumer thread."""
    # snippet: $0
    print(f"handled {item!r}")


def _consume(work):
    while True:
        item = work.get()
        try:
            if item is _SENTINEL:
                return
            handle_item(item)
        except Exception:
            # One bad item must not kill the consumer: the queue would never drain.
            logging.exception("failed to handle %r", item)
        finally:
            # Every get() needs its task_done(), the sentinel's too, or work.join() never returns.
            work.task_done()


def produce_and_consume(items, consumers=4, max_queued=16):
    # A bounded queue makes put() wait while consumers are behind, so memory stays flat.
    work = queue.Queue(maxsize=max_queued)
    threads = [threading.Thread(target=_consume, args=(work,), name=f"consumer-{n}") for n in range(consumers)]
    for thread in threads:
        thread.start()
    for item in items:
        work.put(item)
    work.join()  # returns once every item put so far has been marked task_done()
    for _ in threads:
        work.put(_SENTINEL)  # one per consumer: each stops at the first sentinel it takes
    for thread in threads:
        thread.join()
# snippet: end


if __name__ == "__main__":
    produce_and_consume(range(10))
