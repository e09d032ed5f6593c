# snippet: prefix tw-producer-consumer-async
# snippet: title Producer-consumer (asyncio)
# snippet: description Producer-consumer with asyncio: a bounded asyncio.Queue for back-pressure, one sentinel per consumer task to shut down, task_done()/join() to wait until every item is handled.
# snippet: $1 = handle_item
# snippet: $2 = produce_and_consume
# snippet: $3 = 4
# snippet: begin
import asyncio
import logging

# A unique end-of-work marker: no real item can be identical to it.
_SENTINEL = object()


async def handle_item(item):
    """Handle one item; runs in a consumer task."""
    # snippet: $0
    await asyncio.sleep(0.01)
    print(f"handled {item!r}")


async def _consume(work):
    while True:
        item = await work.get()
        try:
            if item is _SENTINEL:
                return
            await handle_item(item)
        except Exception:
            # One bad item must not end the consumer. (CancelledError is not an Exception,
            # so cancelling the task still works.)
            logging.exception("failed to handle %r", item)
        finally:
            # Every get() needs its task_done(), the sentinel's too, or work.join() never returns.
            work.task_done()


async def produce_and_consume(items, consumers=4, max_queued=16):
    # A bounded queue makes put() wait while consumers are behind, so memory stays flat.
    work = asyncio.Queue(maxsize=max_queued)
    # Keep the tasks: the event loop holds only weak references to them.
    tasks = [asyncio.create_task(_consume(work)) for _ in range(consumers)]
    for item in items:
        await work.put(item)
    await work.join()  # returns once every item put so far has been marked task_done()
    for _ in tasks:
        await work.put(_SENTINEL)  # one per consumer: each stops at the first sentinel it takes
    await asyncio.gather(*tasks)
# snippet: end


if __name__ == "__main__":
    asyncio.run(produce_and_consume(range(10)))
