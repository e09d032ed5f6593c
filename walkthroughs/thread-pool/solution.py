"""Solution: each lambda binds its own name as a default argument when it is submitted."""
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
            futures.append(pool.submit(lambda name=name: resize(name)))
        for future in as_completed(futures):
            print(future.result())


if __name__ == "__main__":
    main()
