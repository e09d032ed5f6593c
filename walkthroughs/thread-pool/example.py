"""Thread pool and process pool with concurrent.futures: submit, as_completed, errors per task.

Run it: python3 example.py
"""
import math
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed


def fetch(page: int) -> str:
    """Stands in for I/O (an HTTP call): threads overlap the waiting."""
    time.sleep(0.05)
    if page == 7:
        raise ConnectionError(f"page {page}: connection reset")
    return f"page {page}: {page * 100} bytes"


def count_primes(limit: int) -> int:
    """CPU-bound: on a GIL build, only processes run this on several cores at once."""
    return sum(1 for n in range(2, limit) if all(n % d for d in range(2, math.isqrt(n) + 1)))


def main() -> None:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = {pool.submit(fetch, page): page for page in range(12)}
        for future in as_completed(futures):
            error = future.exception()  # the task's exception, or None; never raises it
            if error is not None:
                print(f"failed: {error!r}")
            else:
                print(future.result())
    print(f"12 downloads of 0.05 s in {time.perf_counter() - started:.2f} s with 8 threads")

    gil = getattr(sys, "_is_gil_enabled", lambda: True)()
    print(f"GIL enabled: {gil}")
    with ProcessPoolExecutor(max_workers=2) as pool:
        counts = list(pool.map(count_primes, [20_000, 30_000, 40_000]))
    print(f"primes below 20k, 30k, 40k: {counts}")


# Processes import this module again (spawn, forkserver): the guard keeps them from starting
# pools of their own.
if __name__ == "__main__":
    main()
