"""Exercise: a chat server whose every client freezes while one message is being handled.

Threadwise underlines two hazards. Put the cursor on each and press Ctrl+. (Cmd+. on macOS).
The walkthrough step ticks itself once Threadwise reports nothing left in this file.
"""
import asyncio
import time

log: list[str] = []


async def audit(message: str) -> None:
    await asyncio.sleep(0.01)
    log.append(message)


async def handle(message: str) -> str:
    # Simulated rate limit: this stops the whole event loop, not just this handler.
    time.sleep(0.05)
    # Nobody keeps the task: the loop holds only a weak reference, so it can vanish mid-way.
    asyncio.create_task(audit(message))
    return message.upper()


async def main() -> None:
    replies = await asyncio.gather(*(handle(f"hello {n}") for n in range(5)))
    await asyncio.sleep(0.05)
    print(replies, f"{len(log)} audited")


if __name__ == "__main__":
    asyncio.run(main())
