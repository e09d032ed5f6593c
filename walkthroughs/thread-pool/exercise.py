"""Exercise: each task should resize a different image, yet they all report the same one.

Put the cursor on the underlined lambda and press Ctrl+. (Cmd+. on macOS) to see the fix.
The walkthrough step ticks itself once Threadwise reports nothing left in this file.
"""
import time
from concurrent.futures import ThreadPoolExecutor, as_completed


def resize(name: str) -> str:
    time.sleep(0.01)
    return f"resized {name}"


def main() -> None:
    names = ["cat.png", "dog.png", "fox.png", "owl.png"]
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = []
        for name in names:
            # The lambda reads `name` when a worker runs it, not when it is submitted.
            futures.append(pool.submit(lambda: resize(name)))
        for future in as_completed(futures):
            print(future.result())


if __name__ == "__main__":
    main()
