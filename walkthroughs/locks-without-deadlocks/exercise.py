"""Exercise: after one bad request, every later request hangs forever.

Put the cursor on the underlined acquire() and press Ctrl+. (Cmd+. on macOS) to see the fix.
The walkthrough step ticks itself once Threadwise reports nothing left in this file.
"""
import threading


class PriceCache:
    def __init__(self, prices: dict[str, float]) -> None:
        self._prices = dict(prices)
        self._lock = threading.Lock()

    def price_with_tax(self, item: str) -> float:
        self._lock.acquire()
        # A KeyError here skips release(): the lock stays held and the next caller waits forever.
        price = self._prices[item] * 1.2
        self._lock.release()
        return price


def main() -> None:
    cache = PriceCache({"tea": 2.5, "cake": 4.0})
    for item in ["tea", "scone", "cake"]:
        try:
            print(f"{item}: {cache.price_with_tax(item):.2f}")
        except KeyError:
            print(f"{item}: not on the menu")


if __name__ == "__main__":
    main()
