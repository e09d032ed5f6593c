# snippet: prefix tw-process-pool
# snippet: title Process pool for CPU-bound work
# snippet: description ProcessPoolExecutor for CPU-bound Python code (each process has its own interpreter, so the GIL does not serialise the work); the worker is a top-level function and the pool starts behind the __main__ guard.
# snippet: $1 = crunch
# snippet: $2 = crunch_all
# snippet: begin
import concurrent.futures


def crunch(n):
    """CPU-bound work. Top-level, so that it can be pickled and sent to a worker process."""
    # snippet: $0
    return sum(i * i for i in range(n))


def crunch_all(inputs):
    with concurrent.futures.ProcessPoolExecutor() as executor:
        # map returns results in input order; chunksize sends work in batches, which matters
        # when each task is small and pickling would otherwise dominate.
        return list(executor.map(crunch, inputs, chunksize=4))


# Worker processes may import this module (always with the "spawn" start method, the default on
# Windows and macOS); the guard keeps them from starting pools of their own.
if __name__ == "__main__":
    print(crunch_all([100_000, 200_000, 300_000, 400_000]))
# snippet: end
