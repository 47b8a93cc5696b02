"""How often Python's cycle collector runs in a server process
(``RENCAI_GC_YOUNG_THRESHOLD``).

By default the collector looks at the youngest objects after every 700 net allocations.
One uncached candidates list allocates tens of thousands of objects (ORM rows, numpy
views, breakdown lines), nearly all freed by reference counting when the request ends;
at 700, objects still in use by a request in flight are promoted to the older
generations, and the full collections that follow read every long-lived object the
engine did not freeze (answers in its cache, profiles read since start): pauses of
10–40 ms at 100,000 talents, in the middle of a request. A larger first threshold lets
a request's objects die young.
"""

from __future__ import annotations

import gc


def tune_collector(young_threshold: int) -> None:
    """Set the first generation's threshold to ``young_threshold`` (0 leaves Python's
    default); the older generations keep their own."""
    if young_threshold <= 0:
        return
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(young_threshold, middle, oldest)
