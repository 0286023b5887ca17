"""Shared timing helper of the peer scripts."""
import statistics
import time


def median_ms(function, repeats=5):
    """Median wall time of `repeats` calls, in milliseconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)
