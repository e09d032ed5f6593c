# snippet: prefix tw-bounded-buffer
# snippet: title Bounded buffer (Condition with wait_for)
# snippet: description Thread-safe bounded buffer built on threading.Condition: put() waits for space and get() for an item with wait_for, which re-checks its predicate after every wake-up; both take an optional timeout.
# snippet: $1 = BoundedBuffer
# snippet: begin
import collections
import threading


class BoundedBuffer:
    def __init__(self, capacity):
        self._items = collections.deque()
        self._capacity = capacity
        # Two conditions on one lock: producers wait on one, consumers on the other, so a
        # notify() always wakes a thread that can make progress.
        self._lock = threading.Lock()
        self._not_full = threading.Condition(self._lock)
        self._not_empty = threading.Condition(self._lock)

    def put(self, item, timeout=None):
        with self._lock:
            # wait_for loops until the predicate holds, so a spurious wake-up, or another
            # producer taking the free slot first, just means waiting again.
            if not self._not_full.wait_for(self._has_space, timeout):
                raise TimeoutError("buffer still full")
            self._items.append(item)
            self._not_empty.notify()

    def get(self, timeout=None):
        with self._lock:
            if not self._not_empty.wait_for(self._has_items, timeout):
                raise TimeoutError("buffer still empty")
            item = self._items.popleft()
            self._not_full.notify()
            return item

    # The predicates run inside wait_for, with the lock held.
    def _has_space(self):
        return len(self._items) < self._capacity

    def _has_items(self):
        return len(self._items) > 0
# snippet: end


if __name__ == "__main__":
    buffer = BoundedBuffer(capacity=3)
    received = []

    def consume():
        for _ in range(20):
            received.append(buffer.get(timeout=5))

    consumer = threading.Thread(target=consume)
    consumer.start()
    for number in range(20):
        buffer.put(number, timeout=5)
    consumer.join()
    assert received == list(range(20)), received
    print("received", received)
