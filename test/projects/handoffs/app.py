import asyncio

from workers.jobs import Jobs, async_job, blocking_job, fetch_if_remote, load_all, settle, start
import workers.jobs as jobs


async def handle(loop):
    Jobs().slow()  # ok: the decorator runs it in the executor
    Jobs().fast()  # ok
    await loop.run_in_executor(None, blocking_job)  # ok: handed off
    await loop.run_in_executor(None, jobs.blocking_job)  # ok: handed off
    await asyncio.to_thread(lambda: blocking_job())  # ok: the lambda runs in a thread
    await async_job()  # ok: an async helper
    jobs.blocking_job()  # TW107
    blocking_job()  # noqa: TW107
    async_job()  # TW201
    jobs.async_job()  # threadwise: ignore[TW201]


async def branches(loop, names):
    fetch_if_remote(names[0])  # ok: blocks only in a branch of the helper
    start(loop)  # ok: blocks only after an early return of the helper
    settle(names[0])  # ok: the helper's helper blocks only in a branch
    load_all(names)  # TW107


def not_on_loop():
    blocking_job()  # ok
    # Dropped in a plain def too: the coroutine never runs.
    async_job()  # TW201
