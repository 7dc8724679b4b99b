"""Reading a backup archive safely (docs/projects.md §7): only the members the manifest may
name (:mod:`vendor_eval.store.backup_format`), each read in chunks and never past its kind's
limit, after the zip directory is checked for members that overlap or share a name (the
tricks of zip bombs). Nothing is ever extracted to disk, so a member named ``../x`` is at
most refused, never written.

Every problem is one :class:`~vendor_eval.core.problems.VendorEvalError` sentence naming the
archive: not a backup (not a zip, truncated, no manifest, another format), newer than this
code, damaged (a member missing, unreadable or not matching its SHA-256) or refused (a
member larger than its limit, or compressed like a zip bomb).
"""

from __future__ import annotations

import hashlib
import itertools
import os
import stat
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.store.backup_format import (
    FORMAT,
    FORMAT_VERSION,
    LIMITS,
    MANIFEST,
    MAX_JSON_RATIO,
    PROJECT,
    SHA,
    VERSION,
    Damaged,
    Fields,
    load_json,
    project_member,
)

__all__ = ["Reader"]

_MB = 1024 * 1024
_CHUNK = _MB


class Reader:
    """An archive open for reading: only expected members, each within its limit.

    Every problem is a :class:`VendorEvalError` sentence naming the file.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            file = _open_regular(path)
        except FileNotFoundError:
            raise VendorEvalError(f"the backup {path} does not exist") from None
        except IsADirectoryError:
            raise VendorEvalError(f"the backup {path} is a folder, not a backup file") from None
        except PermissionError:
            raise VendorEvalError(f"the backup {path} cannot be read: permission denied") from None
        except OSError as e:
            raise VendorEvalError(f"the backup {path} cannot be read: {e.strerror or e}") from None
        if file is None:
            raise VendorEvalError(f"the backup {path} is not a regular file")
        self.file = file
        try:
            self.zip = zipfile.ZipFile(self.file)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
            self.file.close()
            raise self.not_a_backup("it is not a zip archive, or it is truncated") from None
        except OSError as e:
            self.file.close()
            raise VendorEvalError(f"the backup {path} cannot be read: {e.strerror or e}") from None
        infos = self.zip.infolist()
        self.infos = {i.filename: i for i in infos}
        if len(self.infos) != len(infos):
            self.close()
            raise self.damaged("two members share one name")
        ordered = sorted(infos, key=lambda i: i.header_offset)
        # each entry's data ends at least its local header (30 bytes and the name) and its
        # compressed size past its start: an entry starting sooner overlaps it
        for a, b in itertools.pairwise(ordered):
            if b.header_offset < a.header_offset + 30 + len(a.filename) + a.compress_size:
                self.close()
                raise self.damaged(f"{a.filename} and {b.filename} overlap (a zip bomb?)")

    def close(self) -> None:
        self.zip.close()
        self.file.close()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- sentences ---------------------------------------------------------------------
    def not_a_backup(self, why: str) -> VendorEvalError:
        return VendorEvalError(f"{self.path} is not a vendor-eval backup: {why}")

    def damaged(self, what: str) -> VendorEvalError:
        return VendorEvalError(f"the backup {self.path} is damaged: {what}")

    # -- members -----------------------------------------------------------------------
    def chunks(self, name: str, kind: str) -> Iterator[bytes]:
        """The member's bytes in chunks, never more than its kind's limit."""
        info = self.infos.get(name)
        if info is None:
            raise self.damaged(f"{name} is missing")
        limit = LIMITS[kind]
        if info.file_size > limit:
            raise VendorEvalError(
                f"the backup {self.path} is refused: {name} would unpack to "
                f"{info.file_size / _MB:,.1f} MB, more than the {limit / _MB:,.0f} MB a {kind} "
                "member may hold"
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if kind != "version" and info.file_size > _MB and ratio > MAX_JSON_RATIO:
            raise VendorEvalError(
                f"the backup {self.path} is refused: {name} is compressed {ratio:,.0f} to 1 "
                "(a zip bomb?)"
            )
        read = 0
        try:
            with self.zip.open(info) as f:
                while chunk := f.read(_CHUNK):
                    read += len(chunk)
                    if read > limit:  # pragma: no cover - zipfile stops at the declared size
                        raise self.damaged(f"{name} is larger than it says")
                    yield chunk
        except VendorEvalError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
                RuntimeError, ValueError) as e:  # fmt: skip
            raise self.damaged(f"{name} cannot be read ({_first_line(e)})") from None

    def read(self, name: str, kind: str, sha256: str) -> bytes:
        """The whole member, checked against its SHA-256 in the manifest."""
        data = b"".join(self.chunks(name, kind))
        if hashlib.sha256(data).hexdigest() != sha256:
            raise self.damaged(f"{name} does not match its SHA-256 in the manifest")
        return data

    def check_hash(self, name: str, kind: str, sha256: str) -> int:
        """The member's size, once it matches its SHA-256 (read in chunks, nothing kept)."""
        digest, size = hashlib.sha256(), 0
        for chunk in self.chunks(name, kind):
            digest.update(chunk)
            size += len(chunk)
        if digest.hexdigest() != sha256:
            raise self.damaged(f"{name} does not match its SHA-256 in the manifest")
        return size

    def manifest(self, known_schemas: set[str], head: str) -> dict[str, Any]:
        """The manifest, its format and version checked; ``files`` checked to name only
        members this format has."""
        if MANIFEST not in self.infos:
            raise self.not_a_backup(f"it has no {MANIFEST}")
        try:
            m = Fields(load_json(b"".join(self.chunks(MANIFEST, "manifest")), MANIFEST), MANIFEST)
            if m.obj.get("format") != FORMAT:
                raise self.not_a_backup(f"its {MANIFEST} does not name the format {FORMAT!r}")
            version = m.integer("format_version", low=1)
            if version > FORMAT_VERSION:
                raise VendorEvalError(
                    f"the backup {self.path} was written by a newer vendor-eval (backup format "
                    f"{version}; this one reads format {FORMAT_VERSION}): upgrade vendor-eval"
                )
            schema = m.text("schema")
            if schema not in known_schemas:
                raise VendorEvalError(
                    f"the backup {self.path} was written by a newer vendor-eval (schema "
                    f"{schema}; this one knows up to {head}): upgrade vendor-eval"
                )
            m.time("created_at")
            for key in ("projects", "versions", "events"):
                m.integer(key)
            files = m.obj.get("files")
            if not isinstance(files, dict):
                raise Damaged(f"{MANIFEST} has no list of files")
            for member, sha in files.items():
                if not (PROJECT.fullmatch(member) or VERSION.fullmatch(member)):
                    raise Damaged(f"{MANIFEST} lists an unexpected member {member!r}")
                if not isinstance(sha, str) or not SHA.fullmatch(sha):
                    raise Damaged(f"{MANIFEST} gives {member} no SHA-256")
                version_sha = VERSION.fullmatch(member)
                if version_sha and version_sha[1] != sha:
                    raise Damaged(f"{member} is listed with another SHA-256 than its name")
            listed = {k for k in files if PROJECT.fullmatch(k)}
            count = m.integer("projects")  # compared before it is counted up to
            if len(listed) != count or listed != {project_member(n + 1) for n in range(count)}:
                raise Damaged(f"{MANIFEST} does not list projects/1.json … as many as it counts")
        except Damaged as e:
            raise self.damaged(str(e)) from None
        return m.obj


def _open_regular(path: Path) -> BinaryIO | None:
    """``path`` open for reading, or None when it is not a regular file (a folder, a FIFO,
    a device: ``/dev/zero`` never ends, a FIFO waits for a writer). Opened without waiting
    and checked on the open file, so nothing swapped in after a check is read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(mode):
            os.close(fd)
            return None
        if hasattr(os, "O_NONBLOCK"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
