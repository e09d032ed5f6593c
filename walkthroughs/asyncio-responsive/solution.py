"""Solution: the handler yields to the loop while it waits, and the audit task is kept until it ends."""
import asyncio

_background_tasks = set()

log: list[str] = []


async def audit(message: str) -> None:
    await asyncio.sleep(0.01)
    log.append(message)


async def handle(message: str) -> str:
    # Simulated rate limit: only this handler waits.
    await asyncio.sleep(0.05)
    # The set keeps the task alive until it is done; the callback then drops it.
    _task = asyncio.create_task(audit(message))
    _background_tasks.add(_task)
    _task.add_done_callback(_background_tasks.discard)
    return message.upper()


async def main() -> None:
    replies = await asyncio.gather(*(handle(f"hello {n}") for n in range(5)))
    await asyncio.sleep(0.05)
    print(replies, f"{len(log)} audited")


if __name__ == "__main__":
    asyncio.run(main())
