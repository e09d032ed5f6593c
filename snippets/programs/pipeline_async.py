# snippet: prefix tw-pipeline-async
# snippet: title Multi-stage pipeline (asyncio)
# snippet: description Multi-stage pipeline with asyncio: one task per stage, bounded asyncio.Queues between stages, an end marker passed down the line so every stage stops in order.
# snippet: $1 = parse
# snippet: $2 = enrich
# snippet: $3 = run_pipeline
# snippet: begin
import asyncio
import logging

_DONE = object()  # end-of-stream marker, passed from stage to stage


async def parse(line):
    """First stage."""
    # snippet: $0
    return line.strip()


async def enrich(record):
    """Second stage."""
    await asyncio.sleep(0.01)
    return record.upper()


async def _feed(items, outbox):
    for item in items:
        await outbox.put(item)
    await outbox.put(_DONE)


async def _stage(fn, inbox, outbox):
    while True:
        item = await inbox.get()
        if item is _DONE:
            await outbox.put(_DONE)  # tell the next stage, then stop
            return
        try:
            result = await fn(item)
        except Exception:
            # A failed item is logged and dropped; a dead stage would stall the whole pipeline.
            logging.exception("%s failed on %r", fn.__name__, item)
        else:
            await outbox.put(result)


async def run_pipeline(items, stages=(parse, enrich), max_queued=8):
    """Returns the items after every stage, in order; the stages run concurrently."""
    # Bounded queues: a fast stage waits for a slow one instead of piling up items.
    queues = [asyncio.Queue(maxsize=max_queued) for _ in range(len(stages) + 1)]
    # Keep the tasks: the event loop holds only weak references to them.
    tasks = [asyncio.create_task(_feed(items, queues[0]))]
    tasks += [asyncio.create_task(_stage(fn, queues[i], queues[i + 1])) for i, fn in enumerate(stages)]
    try:
        results = []
        while (item := await queues[-1].get()) is not _DONE:
            results.append(item)
        await asyncio.gather(*tasks)
        return results
    finally:
        # On cancellation (or any error here) the stages must not outlive the pipeline.
        for task in tasks:
            task.cancel()
# snippet: end


if __name__ == "__main__":
    print(asyncio.run(run_pipeline([" alpha ", " beta", "gamma "] * 5)))
