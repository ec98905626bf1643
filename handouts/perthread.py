"""Memos kept per thread, for flowables: reportlab hands a flowable the canvas it draws on as an
attribute, so one flowable drawn by two threads at once draws into the other's document. What a
document places is therefore shared within a thread only (the desk renders from several). And the
locks of what threads do share, made anew in a forked worker."""

from __future__ import annotations

import os
import threading
import weakref
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


class ForkSafeLock:
    """A lock a forked worker gets anew: the parent's may have been held by another thread at the
    fork, and would stay locked in the child for ever."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        _LOCKS.add(self)

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *exc):
        return self._lock.__exit__(*exc)


_LOCKS: weakref.WeakSet = weakref.WeakSet()


def _after_fork() -> None:
    for lock in list(_LOCKS):
        lock._lock = threading.Lock()


if hasattr(os, "register_at_fork"):  # not on Windows, which does not fork
    os.register_at_fork(after_in_child=_after_fork)
