"""Stage 1 of 6 (ingest): size, count and length limits, checked before anything expensive.

Why before validation: pydantic would happily build a list of a million emails or copy a
100 MB string before complaining, and every later stage would then pay for it. Files are sized
with ``stat`` and read with a hard cap, and decoded data is walked once (iteratively, so hostile
nesting cannot exhaust the stack) to name the first fields that break a limit.
"""

from __future__ import annotations

import stat
from collections.abc import Mapping
from pathlib import Path

from screening.errors import InputError, LimitError, Problem
from screening.model.limits import Limits

Loc = tuple[str | int, ...]

_MAX_PROBLEMS = 20
_MAX_KEY_CHARS = 200


def shape_problems(data: object, limits: Limits) -> list[tuple[Loc, str]]:
    """Lists longer than ``max_list_items``, strings longer than ``max_text_chars``, too deep."""
    problems: list[tuple[Loc, str]] = []
    stack: list[tuple[object, Loc]] = [(data, ())]
    while stack and len(problems) < _MAX_PROBLEMS:
        value, loc = stack.pop()
        if len(loc) > limits.max_depth:
            problems.append((loc[: limits.max_depth], too_deep(limits)))
            continue
        if isinstance(value, str):
            if len(value) > limits.max_text_chars:
                problems.append((loc, too_long(len(value), limits)))
        elif isinstance(value, Mapping):
            children: list[tuple[object, Loc]] = []
            for key, item in value.items():
                name = str(key)
                if len(name) > _MAX_KEY_CHARS:
                    message = f"a field name is longer than {_MAX_KEY_CHARS} characters"
                    problems.append((loc, message))
                else:
                    children.append((item, (*loc, name)))
            stack.extend(reversed(children))  # popped in document order
        elif isinstance(value, list | tuple):
            if len(value) > limits.max_list_items:
                problems.append((loc, too_many(len(value), limits)))
            else:
                stack.extend((value[i], (*loc, i)) for i in range(len(value) - 1, -1, -1))
    return problems


def too_many(count: int, limits: Limits) -> str:
    """The message for a list over the limit (shared by every format)."""
    return f"{count} items, the limit is {limits.max_list_items} (limits.max_list_items)"


def too_long(chars: int, limits: Limits) -> str:
    """The message for a text over the limit (shared by every format)."""
    return f"{chars} characters, the limit is {limits.max_text_chars} (limits.max_text_chars)"


def too_deep(limits: Limits) -> str:
    """The message for data nested too deeply."""
    return f"nested deeper than {limits.max_depth} levels (limits.max_depth)"


def too_big(size: int, limits: Limits) -> LimitError:
    """A file over ``max_file_bytes``."""
    return LimitError(
        [Problem("", f"the file is {size} bytes, the limit is {limits.max_file_bytes} "
                     "(limits.max_file_bytes)")]
    )  # fmt: skip


def read_capped(path: Path, limits: Limits) -> bytes:
    """Read a file without ever holding more than ``max_file_bytes + 1`` bytes of it.

    Raises ``LimitError`` when it is too big, ``InputError`` when it is not a regular file (a
    FIFO or device would block or never end) and ``OSError`` when it cannot be read.
    """
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise InputError([Problem("", "not a regular file")])
    size = info.st_size
    if size > limits.max_file_bytes:
        raise too_big(size, limits)
    with path.open("rb") as handle:
        data = handle.read(limits.max_file_bytes + 1)
    if len(data) > limits.max_file_bytes:  # the file grew between stat and read
        raise too_big(len(data), limits)
    return data


def decode_utf8(data: bytes) -> str:
    """Decode an application file strictly: a wrong encoding would corrupt names silently."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            [Problem("", f"not valid UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                         f"{exc.start}); save the file as UTF-8")]
        ) from None  # fmt: skip
