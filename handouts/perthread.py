"""Memos kept per thread, for flowables: reportlab hands a flowable the canvas it draws on as an
attribute, so one flowable drawn by two threads at once draws into the other's document. What a
document places is therefore shared within a thread only (the desk renders from several)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import wraps

_MISSING = object()


def per_thread(maxsize: int):
    """``functools.lru_cache(maxsize)`` with a cache for each thread; ``cache_clear()`` clears the
    calling thread's."""

    def decorate(make):
        local = threading.local()

        @wraps(make)
        def memo(*args):
            store = local.__dict__.get("store")
            if store is None:
                store = local.store = OrderedDict()
            found = store.get(args, _MISSING)
            if found is _MISSING:
                found = store[args] = make(*args)
                if len(store) > maxsize:
                    store.popitem(last=False)
            else:
                store.move_to_end(args)
            return found

        memo.cache_clear = lambda: local.__dict__.pop("store", None)
        return memo

    return decorate
