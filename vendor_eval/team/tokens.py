"""The signed token of an offline score sheet, and the secret key that signs it.

A token is ``base64url(payload) + "." + hex HMAC-SHA256(key, payload)``, where the payload
is canonical JSON (keys sorted, no spaces, UTF-8): ``{"p": project, "e": evaluator e-mail,
"r": sheet revision, "pairs": pairs_digest(...)}`` (docs/team.md §4). The key is per project:
:func:`derive_key` of the server's secret (:func:`server_key`) and the project's salt. So a
sheet from another project, another evaluator or an older revision, or one whose token was
edited, is refused when it comes back.

Nothing here touches the database, and the key is never logged, printed or put in a
message.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.team.errors import SheetRefused

__all__ = [
    "ENV_KEY",
    "MAX_TOKEN_LENGTH",
    "MIN_SECRET_LENGTH",
    "BadToken",
    "derive_key",
    "pairs_digest",
    "server_key",
    "sign",
    "verify",
]

#: The environment variable holding the server's secret (text).
ENV_KEY = "VENDOR_EVAL_SECRET_KEY"
#: The shortest secret accepted from :data:`ENV_KEY` (characters).
MIN_SECRET_LENGTH = 32
#: The longest token read; a longer one is refused before it is decoded.
MAX_TOKEN_LENGTH = 4096
#: Random bytes in a new key file.
KEY_BYTES = 32
_KEY_CONTEXT = b"vendor-eval score sheet\x00"
_PAYLOAD = re.compile(r"[A-Za-z0-9_-]+")
_SIGNATURE = re.compile(r"[0-9a-f]{64}")

UNREADABLE = (
    "the sheet's signature cannot be read (the Token sheet was edited or damaged): "
    "download the sheet from vendor-eval again"
)
MISMATCH = (
    "the sheet's signature does not match: it was not made by this vendor-eval for this "
    "project, or it was edited"
)


class BadToken(SheetRefused):
    """A score sheet's token that is malformed or whose signature does not match."""


def canonical(value: object) -> bytes:
    """``value`` as canonical JSON bytes: keys sorted, no spaces, UTF-8, no NaN."""
    text = json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.encode("utf-8")


def _mac(key: bytes, payload: bytes) -> str:
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def sign(key: bytes, payload: dict[str, Any]) -> str:
    """The token for ``payload``: base64url (no padding) of its canonical JSON, ``.``, and
    the hex HMAC-SHA256 of those JSON bytes under ``key``."""
    data = canonical(payload)
    encoded = base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
    return f"{encoded}.{_mac(key, data)}"


def _decoded(encoded: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (binascii.Error, ValueError):
        raise BadToken(UNREADABLE) from None


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def verify(key: bytes, token: str) -> dict[str, Any]:
    """The payload of ``token`` when its signature under ``key`` matches.

    The signature is checked (in constant time) before the payload is parsed.

    Raises
    ------
    BadToken
        A token that is not text, longer than :data:`MAX_TOKEN_LENGTH`, not of the form
        ``payload.signature`` or not decodable (:data:`UNREADABLE`), or whose signature does
        not match (:data:`MISMATCH`).
    """
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        raise BadToken(UNREADABLE)
    encoded, dot, signature = token.strip().rpartition(".")
    if not dot or not _PAYLOAD.fullmatch(encoded) or not _SIGNATURE.fullmatch(signature):
        raise BadToken(UNREADABLE)
    data = _decoded(encoded)
    if not hmac.compare_digest(_mac(key, data), signature):
        raise BadToken(MISMATCH)
    try:
        payload = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError):
        raise BadToken(UNREADABLE) from None
    if not isinstance(payload, dict):
        raise BadToken(UNREADABLE)
    return payload


def pairs_digest(pairs: Sequence[tuple[str, str]]) -> str:
    """SHA-256 (hex) of the canonical JSON list of ``[vendor, criterion]`` pairs, in order."""
    return hashlib.sha256(canonical([[v, c] for v, c in pairs])).hexdigest()


def derive_key(server_key: bytes, project_salt: str) -> bytes:
    """The project's signing key: HMAC-SHA256 of a fixed context and the project's salt
    under the server's secret."""
    return hmac.new(
        server_key, _KEY_CONTEXT + project_salt.encode("utf-8"), hashlib.sha256
    ).digest()


def server_key(db_url_path: str | None) -> bytes:
    """The server's secret: :data:`ENV_KEY` when it is set, else the key file beside a
    SQLite database (``<database>.key``, made on first use).

    Parameters
    ----------
    db_url_path:
        The SQLite database's file path, or ``None`` (or ``""``, ``":memory:"``) for any
        other database.

    Raises
    ------
    VendorEvalError
        When :data:`ENV_KEY` is shorter than :data:`MIN_SECRET_LENGTH` characters, when
        there is neither the variable nor a SQLite file, or when the key file cannot be
        made or is unsafe (not a regular file, readable by other users, too short).
    """
    secret = os.environ.get(ENV_KEY)
    if secret is not None:
        secret = secret.strip()
        if len(secret) < MIN_SECRET_LENGTH:
            raise VendorEvalError(f"{ENV_KEY} must be at least {MIN_SECRET_LENGTH} characters")
        return secret.encode("utf-8")
    if db_url_path in (None, "", ":memory:"):
        raise VendorEvalError(
            f"score sheets need a secret key: set {ENV_KEY} (at least {MIN_SECRET_LENGTH} "
            "characters) for this database"
        )
    return key_file(Path(f"{db_url_path}.key"))


def key_file(path: Path) -> bytes:
    """The key stored at ``path``, made first (32 random bytes, mode 0600) if it is not
    there. Two processes making it at once end with the same key: the file appears whole
    (linked from a private temporary file) or not at all."""
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    _make_key(path)
    return _read_key(path)


def _refused(path: Path, why: str) -> VendorEvalError:
    return VendorEvalError(f"the score-sheet key file {path} {why}")


def _write_new(path: Path) -> None:
    """Write a new key to ``path``, which must not exist yet (mode 0600 from the start)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, secrets.token_bytes(KEY_BYTES))
        os.fsync(fd)
    finally:
        os.close(fd)


def _make_key(path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        _write_new(tmp)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process made it first: its key is the key
        except OSError:  # a file system without hard links: create it in place
            _write_new(path)
    except FileExistsError:
        pass
    except OSError as e:
        raise _refused(path, f"could not be made: {e.strerror or e}") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def _read_key(path: Path) -> bytes:
    """The key in ``path``: a regular file, private to its owner, of at least 32 bytes.

    Raises
    ------
    FileNotFoundError
        When there is no file (the caller makes one).
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as e:
        if path.is_symlink():
            raise _refused(path, "is not a regular file (it is a link): remove it") from None
        raise _refused(path, f"could not be read: {e.strerror or e}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _refused(path, "is not a regular file: remove it")
        if os.name == "posix" and info.st_mode & 0o077:
            mode = stat.S_IMODE(info.st_mode)
            raise _refused(
                path,
                f"can be read or changed by other users (mode {mode:04o}): "
                f"make it private with chmod 600 {path}",
            )
        data = os.read(fd, 4096)
    finally:
        os.close(fd)
    if len(data) < KEY_BYTES:
        raise _refused(
            path,
            f"is damaged (shorter than {KEY_BYTES} bytes): restore it from a backup, or remove "
            "it to make a new key (sheets already given out must then be downloaded again)",
        )
    return data
