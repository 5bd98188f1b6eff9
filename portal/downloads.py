"""The names of downloaded files. Every ``Content-Disposition`` the portal sends is made
here, because a file is often named after stored text (a person's name, an
organisation's) and stored text may hold what no header or file system can: a CR/LF
(Django refuses the header: a 500), a quote that ends the name early, a ``../`` or a
``\\`` that some browsers and unzip tools read as a folder, or hundreds of characters."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from portal.validators import CONTROL_CHARACTERS

#: Longest name kept, in characters, suffix included: a Thai character takes nine bytes
#: in the header's UTF-8 form, and file systems stop at 255 bytes.
MAX_NAME_LENGTH = 100
#: What a file name must not hold besides control characters: quotes, path separators
#: and the characters Windows refuses in names.
_UNSAFE = re.compile(r'["\\/:*?<>|]+')


def safe_filename(filename: str, *, default: str = "download") -> str:
    """``filename`` as one harmless name: no control character, quote, slash or
    backslash, no leading dot (no hidden file, no ``..``), at most
    :data:`MAX_NAME_LENGTH` characters with its suffix kept."""
    name = unicodedata.normalize("NFC", filename)
    name = CONTROL_CHARACTERS.sub(" ", name)
    name = _UNSAFE.sub("-", name)
    name = re.sub(r"\.{2,}", ".", name)
    name = re.sub(r"\s+", " ", name)
    stem, dot, suffix = name.rpartition(".")
    if not dot or not re.fullmatch(r"[A-Za-z0-9]{1,8}", suffix):
        stem, suffix = name, ""
    suffix = f".{suffix}" if suffix else ""
    stem = stem.strip(" .-")[: MAX_NAME_LENGTH - len(suffix)].rstrip(" .-")
    return f"{stem or default}{suffix}"


def ascii_fallback(name: str) -> str:
    """What browsers without RFC 6266 support show. What is left of a Thai name in
    ASCII ("---2569.pdf") helps nobody: without a letter in it, it becomes
    ``document-2569.pdf``."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    ascii_stem = re.sub(r"\s+", " ", stem.encode("ascii", "ignore").decode()).strip(" -")
    ascii_suffix = suffix.encode("ascii", "ignore").decode()
    ascii_suffix = f".{ascii_suffix}" if ascii_suffix else ""
    if not re.search(r"[A-Za-z]", ascii_stem):
        digits = "-".join(re.findall(r"\d+", ascii_stem))
        ascii_stem = f"document-{digits}" if digits else "document"
    return f"{ascii_stem}{ascii_suffix}"


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """The ``Content-Disposition`` header of a download named ``filename``: the safe
    name (:func:`safe_filename`) in UTF-8 as RFC 5987 ``filename*``, with an ASCII
    fallback for old browsers."""
    name = safe_filename(filename)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_fallback(name)}\"; filename*=UTF-8''{quote(name)}"
