"""Many letters at once: stable order, one process or a pool, and no lost letters.

What an item is, by its type (never guessed from its content):

* a :class:`pathlib.Path` (any ``os.PathLike``) is a letter **file**, read like
  :func:`vn_obligations.extract_file` (UTF-8 with or without BOM, UTF-16 with BOM);
* a ``str`` is the **text** of a letter (a ``str`` is never taken for a file
  name: wrap names in ``Path``);
* ``bytes`` are the raw bytes of a letter, decoded like a file;
* a ``(source, text_or_bytes)`` pair is a text (or bytes) with the name it is
  reported under.

Results come back in input order, one per item: a :class:`~vn_obligations.Letter`,
or a :class:`Failure` naming the item and the problem.  A failing letter
(unreadable, too large, or a bug) never stops the batch nor loses the others.

With ``workers > 1`` letters go to a process pool; each worker loads the
model once, and only a few chunks are in flight at a time, so a batch of
10,000 letters neither floods memory nor waits for the last letter before the
first result comes out (:func:`iter_extract` streams).
"""
from __future__ import annotations

import gc
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

from . import wordseg
from .errors import InputError, VnObligationsError
from .io import MAX_CHARS, decode, read_letter
from .letter import SCHEMA_VERSION, Letter

Item = Union[str, bytes, "os.PathLike[str]", tuple]

#: letters sent to a worker at once; chunks running or queued per worker; chunks per worker
#: whose results may wait behind a slower one (a long letter must not idle the other workers)
CHUNK = 2
IN_FLIGHT_PER_WORKER = 2
HELD_PER_WORKER = 16


@dataclass(frozen=True)
class Failure:
    """The result for an item that could not be extracted.

    *source* names the item (its path, the name given in a pair, or
    ``<item N>`` for a bare text) and *error* is a one-line message that
    starts with it; *index* is the item's position in the input.
    """

    source: str
    error: str
    index: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON line the CLI prints for a failed input."""
        return {"schema_version": SCHEMA_VERSION, "source": self.source, "error": self.error}


Result = Union[Letter, Failure]  # noqa: UP007 (a runtime alias on Python 3.10)


# --------------------------------------------------------------------------- one item
def _describe(item: Any, index: int) -> tuple[str, str | None]:
    """The name an item is reported under, and the ``source`` its Letter carries."""
    if isinstance(item, os.PathLike):
        return os.fspath(item), os.fspath(item)
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
        return item[0], item[0]
    return f"<item {index}>", None


def _read(item: Any, name: str, max_chars: int | None) -> str:
    """The text of one item (see the module docstring for the rule)."""
    data = item[1] if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str) else item
    if isinstance(item, os.PathLike):
        return read_letter(Path(item), max_chars)
    if isinstance(data, (bytes, bytearray, memoryview)):
        return decode(bytes(data), name, max_chars)
    if isinstance(data, str):
        if max_chars is not None and len(data) > max_chars:
            raise InputError(f"{name}: {len(data):,} characters is above the limit of {max_chars:,} "
                             f"(raise it with max_chars / --max-chars)")
        return data
    raise InputError(f"{name}: cannot read a {type(data).__name__}: give a pathlib.Path (a file), "
                     f"a str (a letter's text), bytes, or a (source, text) pair")


def _error_message(e: BaseException, name: str) -> str:
    if isinstance(e, VnObligationsError):
        return str(e)
    return f"{name}: internal error ({type(e).__name__}: {e})"


def extract_one(item: Any, index: int = 0, *, model=None, max_chars: int | None = MAX_CHARS) -> Result:
    """Extract one item; any exception becomes a :class:`Failure` (never raised)."""
    from .pipeline import extract

    name, source = _describe(item, index)
    try:
        return extract(_read(item, name, max_chars), source=source, model=model)
    except Exception as e:  # one bad letter (or a bug) must not lose the rest of the batch
        return Failure(name, _error_message(e, name), index)


# --------------------------------------------------------------------------- worker side
_WORKER_MODEL: Any = None  # the model of this process (set before fork, or by the initializer)


def _init_worker(model_spec: Any) -> None:
    """Load the model once per worker process (a path, None for the shipped one, or a model)."""
    global _WORKER_MODEL
    if _WORKER_MODEL is None:
        from .classify import load_model

        _WORKER_MODEL = model_spec if _is_model(model_spec) else load_model(model_spec)


def _run_chunk(chunk: list[tuple[int, Any]], max_chars: int | None) -> list[Result]:
    return [extract_one(item, i, model=_WORKER_MODEL, max_chars=max_chars) for i, item in chunk]


def _is_model(obj: Any) -> bool:
    return obj is not None and not isinstance(obj, (str, os.PathLike))


def _for_worker(item: Any) -> Any:
    """Paths travel as paths (the worker reads the file); everything else as is."""
    return Path(os.fspath(item)) if isinstance(item, os.PathLike) else item


# --------------------------------------------------------------------------- the batch
def cpu_count() -> int:
    """Cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def iter_extract(items: Iterable[Item], workers: int = 1, model=None, max_chars: int | None = MAX_CHARS,
                 progress: bool | Callable[[Result], None] | None = None) -> Iterator[Result]:
    """Yield one result per item, in input order, as soon as it and all before it are done.

    *workers*: 1 runs in this process; ``N > 1`` uses a pool of N processes;
    0 or None uses every core.  *model* is a classifier, a model file path or
    None (the shipped model).  *max_chars* limits each letter (None: no
    limit).  *progress* is True for a tqdm bar on stderr, or a callable called
    with each result.
    """
    if workers is None or workers <= 0:
        workers = cpu_count()
    items = items if hasattr(items, "__len__") else iter(items)
    report, close = _progress(progress, len(items) if hasattr(items, "__len__") else None)
    try:
        if workers == 1:
            from .classify import load_model

            m = model if _is_model(model) else load_model(model)  # once: a bad model file fails fast
            for i, item in enumerate(items):
                r = extract_one(item, i, model=m, max_chars=max_chars)
                report(r)
                yield r
        else:
            for r in _pooled(items, workers, model, max_chars):
                report(r)
                yield r
    finally:
        close()


def extract_many(items: Iterable[Item], workers: int = 1, model=None, max_chars: int | None = MAX_CHARS,
                 progress: bool | Callable[[Result], None] | None = None) -> list[Result]:
    """Extract every item; a list with one :class:`Letter` or :class:`Failure` per item, in input order.

    See :func:`iter_extract` for the arguments and the module docstring for
    what an item is.  For very large batches iterate :func:`iter_extract`
    instead, which keeps only a few letters in memory.
    """
    return list(iter_extract(items, workers=workers, model=model, max_chars=max_chars, progress=progress))


def _progress(progress, total: int | None):
    if not progress:
        return (lambda r: None), (lambda: None)
    if callable(progress):
        return progress, (lambda: None)
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: the pool forks while the bar is open
    bar = tqdm(total=total, file=sys.stderr, unit="letter", dynamic_ncols=True)
    return (lambda r: bar.update(1)), bar.close


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[tuple[int, Any]]]:
    chunk: list[tuple[int, Any]] = []
    for i, item in enumerate(items):
        chunk.append((i, _for_worker(item)))
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Pool:
    """A process pool that can be rebuilt after a worker died."""

    def __init__(self, workers: int, model):
        self.workers, self.model = workers, model
        self.executor = self._make()

    def _make(self):
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        global _WORKER_MODEL
        if sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods():
            # fork: workers share the parent's imports and its loaded model (copy on write)
            from .classify import load_model

            _WORKER_MODEL = self.model if _is_model(self.model) else load_model(self.model)
            wordseg.load()  # the word segmenter too (0.3 s a process)
            # objects made so far stay out of the collector's sight: a collection in a
            # worker would otherwise touch, and so copy, every page of the inherited model
            gc.freeze()
            return ProcessPoolExecutor(self.workers, mp_context=mp.get_context("fork"))
        return ProcessPoolExecutor(self.workers, mp_context=mp.get_context("spawn"),
                                   initializer=_init_worker, initargs=(self.model,))

    def submit(self, chunk: list[tuple[int, Any]], max_chars: int | None):
        return self.executor.submit(_run_chunk, chunk, max_chars)

    def renew(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._make()

    def close(self) -> None:
        global _WORKER_MODEL
        self.executor.shutdown(wait=True, cancel_futures=True)
        _WORKER_MODEL = None
        gc.unfreeze()  # the parent's objects are the collector's again


def _pooled(items: Iterable[Any], workers: int, model, max_chars: int | None) -> Iterator[Result]:
    """Chunks of letters through a process pool, a bounded number in flight, results in order.

    If a worker dies (a crash in native code, the OOM killer), the pool is
    rebuilt and the letters of the lost chunks are retried one by one; a letter
    that kills a worker again is reported as a Failure.
    """
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    pending = _chunks(items, CHUNK)
    busy = workers * IN_FLIGHT_PER_WORKER  # chunks submitted and not finished
    held = workers * HELD_PER_WORKER       # chunks submitted and not yet yielded (bounds memory)
    pool = _Pool(workers, model)
    inflight: deque = deque()
    try:
        while True:
            # keep the workers fed even while the oldest chunk (a long plan, say) is still
            # running: the results behind it wait in order, up to *held* chunks
            running = sum(not f.done() for _, f in inflight)
            while running < busy and len(inflight) < held:
                chunk = next(pending, None)
                if chunk is None:
                    break
                inflight.append((chunk, pool.submit(chunk, max_chars)))
                running += 1
            if not inflight:
                return
            chunk, fut = inflight[0]
            if not fut.done():
                wait([f for _, f in inflight if not f.done()], return_when=FIRST_COMPLETED)
                continue
            inflight.popleft()
            try:
                results = fut.result()
            except BrokenProcessPool:
                lost = [chunk] + [c for c, _ in inflight]
                inflight.clear()
                pool.renew()
                yield from _retry_alone(lost, pool, max_chars)
                continue
            except Exception as e:  # e.g. a result that could not be sent back
                results = [_failure(item, i, e) for i, item in chunk]
            yield from results
    finally:
        pool.close()


def _failure(item: Any, index: int, e: BaseException) -> Failure:
    name = _describe(item, index)[0]
    return Failure(name, _error_message(e, name), index)


def _retry_alone(chunks: list[list[tuple[int, Any]]], pool: _Pool, max_chars: int | None) -> Iterator[Result]:
    """The letters of *chunks*, each on its own; one that breaks the pool again is a Failure."""
    from concurrent.futures.process import BrokenProcessPool

    for chunk in chunks:
        for i, item in chunk:
            try:
                yield pool.submit([(i, item)], max_chars).result()[0]
            except BrokenProcessPool:
                pool.renew()
                name = _describe(item, i)[0]
                yield Failure(name, f"{name}: the worker process died while extracting this letter", i)
            except Exception as e:
                yield _failure(item, i, e)
