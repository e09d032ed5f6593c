"""Solution: `with` releases the lock on every way out of the block, exceptions included."""
import threading


class PriceCache:
    def __init__(self, prices: dict[str, float]) -> None:
        self._prices = dict(prices)
        self._lock = threading.Lock()

    def price_with_tax(self, item: str) -> float:
        with self._lock:
            # A KeyError here still releases the lock on its way out.
            price = self._prices[item] * 1.2
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
