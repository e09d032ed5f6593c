# snippet: prefix tw-async-stream
# snippet: title Async generator stream
# snippet: description Reactive-style stream with async generators: a source yields values as they arrive, small stages transform them, the consumer pulls with async for; contextlib.aclosing (3.10+) runs the generators' clean-up even when the consumer stops early.
# snippet: $1 = readings
# snippet: $2 = only_changes
# snippet: $3 = consume_stream
# snippet: begin
import asyncio
import contextlib


async def readings(count):
    """The source: yields each value as it becomes available."""
    # snippet: $0
    for n in range(count):
        await asyncio.sleep(0.01)  # waiting for the next value lets other tasks run
        yield n // 3


async def only_changes(stream):
    """A stage: passes a value on only when it differs from the previous one."""
    previous = object()
    async for value in stream:
        if value != previous:
            previous = value
            yield value


async def consume_stream(limit):
    received = []
    # aclosing closes each generator on exit (the stage first, then the source), so their
    # finally blocks run now rather than whenever the garbage collector finds them abandoned.
    async with contextlib.aclosing(readings(100)) as source, contextlib.aclosing(only_changes(source)) as stream:
        async for value in stream:
            received.append(value)
            if len(received) == limit:
                break  # stopping early is fine: aclosing cleans up
    return received
# snippet: end


if __name__ == "__main__":
    print(asyncio.run(consume_stream(limit=5)))
