# snippet: prefix tw-pipeline
# snippet: title Multi-stage pipeline (threads)
# snippet: description Multi-stage pipeline with threads: one thread per stage, bounded queues between stages, an end marker passed down the line so every stage stops in order.
# snippet: $1 = parse
# snippet: $2 = enrich
# snippet: $3 = run_pipeline
# snippet: begin
import logging
import queue
import threading

_DONE = object()  # end-of-stream marker, passed from stage to stage


def parse(line):
    """First stage."""
    # snippet: $0
    return line.strip()


def enrich(record):
    """Second stage."""
    return record.upper()


def _feed(items, outbox):
    for item in items:
        outbox.put(item)
    outbox.put(_DONE)


def _stage(fn, inbox, outbox):
    while True:
        item = inbox.get()
        if item is _DONE:
            outbox.put(_DONE)  # tell the next stage, then stop
            return
        try:
            outbox.put(fn(item))
        except Exception:
            # A failed item is logged and dropped; a dead stage would stall the whole pipeline.
            logging.exception("%s failed on %r", fn.__name__, item)


def run_pipeline(items, stages=(parse, enrich), max_queued=8):
    """Returns the items after every stage, in order; the stages run concurrently."""
    # Bounded queues: a fast stage waits for a slow one instead of piling up items.
    queues = [queue.Queue(maxsize=max_queued) for _ in range(len(stages) + 1)]
    threads = [threading.Thread(target=_feed, args=(items, queues[0]))]
    threads += [threading.Thread(target=_stage, args=(fn, queues[i], queues[i + 1])) for i, fn in enumerate(stages)]
    for thread in threads:
        thread.start()
    # Drain the last queue to the end marker before joining: a stage blocked on a full queue
    # would never finish, and join() would wait forever.
    results = []
    while (item := queues[-1].get()) is not _DONE:
        results.append(item)
    for thread in threads:
        thread.join()
    return results
# snippet: end


if __name__ == "__main__":
    print(run_pipeline([" alpha ", " beta", "gamma "] * 5))
