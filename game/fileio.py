"""Reading and writing the files a person names: scenarios, saves, scripts, reports, records.

Every path a person (or a file) gives is checked before use and every failure is a
:class:`FileError` with a stable code and a message that names the file:

- a name is refused when empty, holding a NUL byte, or longer than the system allows;
- only regular files are read: a folder, a FIFO (which would block forever) or a device such as
  ``/dev/zero`` (which never ends) is refused at once, and the size is checked on the open file,
  so nothing is read past its limit;
- outputs are written whole or not at all (a temporary file beside the target, fsync, then an
  atomic rename), into a folder that exists, never onto a folder or a special file.

>>> read_bytes("/dev/zero", what="save", limit=1000)
Traceback (most recent call last):
  ...
game.fileio.FileError: [file/not-regular] save /dev/zero is not a regular file but a character device
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from game.engine.errors import EngineError

NAME_MAX = 255
"""The longest file name (one path component) most file systems allow."""
PATH_MAX = 4096


class FileError(EngineError):
    """A file that cannot be read or written as asked; the message names it."""

    default_code = "file/error"


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "something else")


def check_name(path: str | os.PathLike[str], what: str = "file") -> Path:
    """``path`` as a Path once it is a name a file can have; FileError otherwise.

    >>> check_name("", "save")
    Traceback (most recent call last):
      ...
    game.fileio.FileError: [file/bad-name] the save's file name is empty
    """
    text = os.fspath(path)
    if not text.strip():
        raise FileError("file/bad-name", f"the {what}'s file name is empty")
    if "\0" in text:
        raise FileError("file/bad-name", f"the {what}'s file name {text!r} holds a NUL byte")
    if len(text) > PATH_MAX or any(len(part.encode("utf-8", "surrogateescape")) > NAME_MAX
                                   for part in Path(text).parts):
        shown = text if len(text) <= 60 else f"{text[:40]}…({len(text):,} characters)"
        raise FileError("file/bad-name", f"the {what}'s file name is too long: {shown}")
    return Path(text)


def _io_error(exc: OSError, doing: str, path: Path) -> FileError:
    reason = exc.strerror or str(exc)
    code = {errno.ENOENT: "file/not-found", errno.EACCES: "file/permission",
            errno.EPERM: "file/permission", errno.ENOSPC: "file/disk-full",
            errno.EROFS: "file/read-only", errno.EISDIR: "file/not-regular",
            errno.ENOTDIR: "file/no-folder", errno.ENAMETOOLONG: "file/bad-name"
            }.get(exc.errno or 0, "file/io")
    return FileError(code, f"could not {doing} {path}: {reason}")


def read_bytes(path: str | os.PathLike[str], *, what: str = "file", limit: int) -> bytes:
    """The whole content of the regular file ``path``, refused above ``limit`` bytes."""
    p = check_name(path, what)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            raise FileError("file/not-found", f"{what} {p}: no such file") from None
        raise _io_error(exc, f"read the {what}", p) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileError("file/not-regular",
                            f"{what} {p} is not a regular file but {_kind(info.st_mode)}")
        if info.st_size > limit:
            raise FileError("file/too-big",
                            f"{what} {p} is {info.st_size:,} bytes, more than {limit:,}")
        chunks, size = [], 0
        while size <= limit and (chunk := os.read(fd, min(1 << 20, limit + 1 - size))):
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise _io_error(exc, f"read the {what}", p) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:  # it grew while we read
        raise FileError("file/too-big", f"{what} {p} is more than {limit:,} bytes")
    return data


def read_text(path: str | os.PathLike[str], *, what: str = "file", limit: int) -> str:
    """:func:`read_bytes` decoded as UTF-8 (a FileError says where it is not)."""
    data = read_bytes(path, what=what, limit=limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileError("file/encoding", f"{what} {path}: line {line} is not UTF-8 text") from None


def check_output(path: str | os.PathLike[str], what: str = "output") -> Path:
    """``path`` once it can be written: its folder exists and it is not a folder or a device."""
    p = check_name(path, what)
    folder = p.parent
    try:
        info = os.stat(p)
    except FileNotFoundError:
        pass
    except OSError as exc:
        if exc.errno == errno.ENOTDIR:
            raise FileError("file/no-folder",
                            f"cannot write {what} {p}: a part of the path is a file, "
                            "not a folder") from None
        raise _io_error(exc, f"write the {what}", p) from None
    else:
        if not stat.S_ISREG(info.st_mode):
            raise FileError("file/not-regular",
                            f"cannot write {what} {p}: it is {_kind(info.st_mode)}, "
                            "not a regular file")
    if not folder.is_dir():
        if folder.exists():
            raise FileError("file/no-folder", f"cannot write {what} {p}: {folder} is not a folder")
        raise FileError("file/no-folder",
                        f"cannot write {what} {p}: the folder {folder} does not exist "
                        "(make it first)")
    return p


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str], what: str = "output", *,
                  binary: bool = True) -> Iterator[IO[bytes]]:
    """A file to write ``path`` through: it appears whole (fsync, atomic rename) when the
    block ends, or not at all if the block fails or the process dies; the temporary file is
    always removed."""
    p = check_output(path, what)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name[:200]}.", suffix=".tmp", dir=p.parent)
        os.fchmod(fd, 0o666 & ~_umask())  # as open() would make it (mkstemp makes it 0600)
    except OSError as exc:
        raise _io_error(exc, f"write the {what}", p) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    except OSError as exc:
        raise _io_error(exc, f"write the {what}", p) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_bytes(path: str | os.PathLike[str], data: bytes, what: str = "output") -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_output`)."""
    with atomic_output(path, what) as fh:
        fh.write(data)
    return Path(path)


def write_text(path: str | os.PathLike[str], text: str, what: str = "output") -> Path:
    return write_bytes(path, text.encode("utf-8"), what)


def ensure_folder(path: str | os.PathLike[str], what: str = "output folder") -> Path:
    """The folder ``path``, made (with its parents) if missing; a file in the way is refused."""
    p = check_name(path, what)
    try:
        p.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise FileError("file/no-folder", f"{what} {p} is a file, not a folder") from None
    except OSError as exc:
        raise _io_error(exc, f"make the {what}", p) from None
    return p


def open_stream(path: str | os.PathLike[str], what: str = "output") -> IO[str]:
    """A text file opened for writing line by line (e.g. a batch's records as they come):
    checked like :func:`check_output`; not atomic, so an interrupted run keeps what it wrote."""
    p = check_output(path, what)
    try:
        return p.open("w", encoding="utf-8")
    except OSError as exc:
        raise _io_error(exc, f"write the {what}", p) from None
