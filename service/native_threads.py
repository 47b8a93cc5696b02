"""How many threads the native maths libraries (OpenBLAS, OpenMP) use in a server
process (``RENCAI_NATIVE_THREADS``).

By default each library starts one thread per core in every process. A server answers
many small products (one query against a few hundred rows), where a second thread only
spins between them: with two workers on two cores, each uncached candidates request
cost 33 ms of CPU instead of 22 ms, and the spinning took the core the other worker
needed."""

from __future__ import annotations

import os

# Read by the libraries when they load: OpenMP (faiss), OpenBLAS (numpy, scipy, faiss),
# MKL where a build uses it.
ENVIRONMENT_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def limit_native_threads(threads: int) -> None:
    """Give every native maths library ``threads`` threads in this process and in the
    processes it starts; 0 leaves their defaults. Libraries loaded later read the
    environment; those already loaded are limited through threadpoolctl."""
    if threads <= 0:
        return
    for name in ENVIRONMENT_VARIABLES:
        os.environ[name] = str(threads)
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=threads)
