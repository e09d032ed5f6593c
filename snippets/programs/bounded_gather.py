# snippet: prefix tw-bounded-gather
# snippet: title Bounded async concurrency (Semaphore + TaskGroup)
# snippet: description Run many coroutines at most N at a time: an asyncio.Semaphore bounds them, a TaskGroup (Python 3.11+) runs them and cancels the rest on the first failure; before 3.11 gather does the same, chosen by sys.version_info.
# snippet: $1 = fetch_one
# snippet: $2 = gather_bounded
# snippet: $3 = 10
# snippet: begin
import asyncio
import sys


async def fetch_one(item):
    """The work for one item (an HTTP request, a database query)."""
    # snippet: $0
    await asyncio.sleep(0.01)
    return item * 2


async def _limited(semaphore, item):
    async with semaphore:
        return await fetch_one(item)


async def _with_task_group(items, semaphore):
    # Leaving the block waits for every task; the first failure cancels the others and the
    # failures arrive together as an ExceptionGroup (catch them with except*).
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(_limited(semaphore, item)) for item in items]
    return [task.result() for task in tasks]


async def _with_gather(items, semaphore):
    tasks = [asyncio.ensure_future(_limited(semaphore, item)) for item in items]
    try:
        return await asyncio.gather(*tasks)
    except BaseException:
        # Unlike a TaskGroup, gather leaves the other tasks running when one fails.
        for task in tasks:
            task.cancel()
        raise


async def gather_bounded(items, limit=10):
    """Returns fetch_one(item) for every item, in input order, with at most `limit` running at once."""
    semaphore = asyncio.Semaphore(limit)
    if sys.version_info >= (3, 11):
        return await _with_task_group(items, semaphore)
    return await _with_gather(items, semaphore)
# snippet: end


async def _demo():
    print(await gather_bounded(range(25)))
    # The fallback is exercised too, whatever version runs this file.
    print(await _with_gather(range(5), asyncio.Semaphore(2)))


if __name__ == "__main__":
    asyncio.run(_demo())
