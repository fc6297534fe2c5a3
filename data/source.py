"""Open an input file safely and read its bytes and text within the limits.

Only regular files are read: a FIFO would block for ever and /dev/zero never ends, so
both are refused before they are opened for reading. Gzip is decompressed in blocks and
stops at the byte limit, so a small file that expands to gigabytes costs a few hundred
megabytes at most.
"""

from __future__ import annotations

import codecs
import gzip
import io
import os
import re
import stat
import zlib
from pathlib import Path
from typing import BinaryIO

from data.errors import DataError
from data.limits import ReadLimits

__all__ = ["open_regular", "read_bytes", "too_large", "utf8_lines"]

BLOCK = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_NOT_UTF8 = re.compile("[\udc80-\udcff]")
_UTF8_BEYOND_ASCII = re.compile("[\u0080-\udc7f\udd00-\U0010ffff]")


def open_regular(path: Path) -> BinaryIO:
    """The file open for binary reading; a `DataError` when it is missing, a folder, or
    not a regular file (FIFO, device, socket)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise DataError("file not found", file=path) from None
    except OSError as exc:
        raise DataError(f"cannot be read ({exc.strerror or exc})", file=path) from None
    if stat.S_ISDIR(info.st_mode):
        raise DataError("is a folder, not a file", file=path)
    if not stat.S_ISREG(info.st_mode):
        raise DataError(f"is a {_kind(info.st_mode)}, not a regular file", file=path,
                        expected="a file saved on disk")
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise DataError(f"cannot be read ({exc.strerror or exc})", file=path) from None
    handle = os.fdopen(descriptor, "rb")
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):  # swapped since the check
        handle.close()
        raise DataError("is not a regular file", file=path, expected="a file saved on disk")
    return handle


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "named pipe (FIFO)"), (stat.S_ISCHR, "character device"),
             (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"))
    return next((name for test, name in kinds if test(mode)), "special file")


def too_large(path: Path, what: str, limits: ReadLimits) -> DataError:
    """The error for a file whose content passes `limits.max_mb`."""
    return DataError(f"{what} more than {limits.max_mb:g} MB", file=path,
                     expected="a smaller file, or a higher data.limits.max_mb")


def read_bytes(path: Path, limits: ReadLimits) -> bytes:
    """The file's bytes, gunzipped when it is gzip; at most `limits.max_bytes` of them."""
    with open_regular(path) as handle:
        head = handle.read(2)
        handle.seek(0)
        if head == GZIP_MAGIC:
            return _gunzip(handle, path, limits)
        data = handle.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise too_large(path, "holds", limits)
    return data


def _gunzip(handle: BinaryIO, path: Path, limits: ReadLimits) -> bytes:
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=handle) as stream:
            while block := stream.read(BLOCK):
                out.write(block)
                if out.tell() > limits.max_bytes:
                    raise too_large(path, "is gzip that expands to", limits)
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(f"is a damaged gzip file ({exc})", file=path) from None
    return out.getvalue()


def utf8_lines(data: bytes, path: Path) -> tuple[bytes, str]:
    """(UTF-8 bytes with '\\n' line ends, the file's encoding) of CSV bytes: UTF-16 or
    UTF-32 by their byte-order mark, else UTF-8 (with or without BOM), else cp1252 when no
    byte is UTF-8 beyond ASCII. A file that is UTF-8 but for some bytes is refused, naming
    the row of the first of them: read as cp1252, every UTF-8 name in it would be garbled.
    A UTF-8 file is passed on as it is (no copy in memory) where its lines end in '\\n'."""
    if data.startswith(UTF32_BOMS):
        encoding, utf8 = "utf-32", _decode_wide(data, "utf-32", path).encode("utf-8")
    elif data.startswith(UTF16_BOMS):
        encoding, utf8 = "utf-16", _decode_wide(data, "utf-16", path).encode("utf-8")
    else:
        if b"\x00" in data[:4096]:
            raise DataError("is a binary file, not text", file=path, expected="a CSV text file")
        encoding = _narrow_encoding(data, path)
        if encoding == "utf-8-sig":
            utf8 = data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data
        else:
            utf8 = data.decode(encoding).encode("utf-8")
    if b"\r" in utf8:  # in UTF-8 the byte 0x0D is only ever a carriage return
        utf8 = utf8.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    nul = utf8.find(b"\x00")
    if nul >= 0:
        raise DataError("holds a NUL character: a binary file, not text", file=path,
                        row=utf8.count(b"\n", 0, nul) + 1, expected="a CSV text file")
    return utf8, encoding


def _decode_wide(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        width = 2 if encoding == "utf-16" else 4
        problem = (f"is {encoding.upper()} text of {len(data):,} bytes, not a multiple of "
                   f"{width}: the file is cut short" if len(data) % width else
                   f"is not valid {encoding.upper()} text (byte {exc.start:,})")
        raise DataError(problem, file=path, expected="the file saved again") from None


def _narrow_encoding(data: bytes, path: Path) -> str:
    try:
        data.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    mixed = data.decode("utf-8", "surrogateescape")
    if _UTF8_BEYOND_ASCII.search(mixed):
        bad = _NOT_UTF8.search(mixed)
        value = data[first_bad:first_bad + 1].hex().upper()
        lines = mixed[: bad.start() if bad else 0]
        row = lines.count("\n") + lines.count("\r") - lines.count("\r\n") + 1
        raise DataError(f"mixes UTF-8 with another encoding: byte 0x{value} is not UTF-8",
                        file=path, row=row,
                        expected="one encoding for the whole file, best UTF-8")
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return "latin-1"
