# snippet: prefix tw-thread-pool
# snippet: title Thread pool with as_completed
# snippet: description ThreadPoolExecutor for blocking I/O: submit every task, collect results with as_completed as they finish, and keep each task's exception with its input.
# snippet: $1 = fetch
# snippet: $2 = run_all
# snippet: $3 = 8
# snippet: begin
import concurrent.futures


def fetch(item):
    """The blocking work for one item (an HTTP request, a file, a database query)."""
    # snippet: $0
    return int(item)


def run_all(items, max_workers=8):
    """Returns ({item: result}, {item: exception}); one failure does not stop the others."""
    results, errors = {}, {}
    # The with-block shuts the pool down and waits for its threads, even on an exception.
    with concurrent.futures.ThreadPoolExecutor(max_workers=max_workers) as executor:
        futures = {executor.submit(fetch, item): item for item in items}
        for future in concurrent.futures.as_completed(futures):
            item = futures[future]
            try:
                results[item] = future.result()  # re-raises the task's exception here
            except Exception as exc:
                errors[item] = exc
    return results, errors
# snippet: end


if __name__ == "__main__":
    results, errors = run_all(["1", "22", "333", "not a number"])
    print("results:", results)
    print("errors:", {item: repr(exc) for item, exc in errors.items()})
