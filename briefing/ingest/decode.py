"""Turn the bytes of a text file into text: UTF-8 (with or without BOM), UTF-16/32 with a BOM
or UTF-16 without one, else Windows-1252. Refuses binary data and bytes it cannot decode
rather than guessing (a wrong guess silently turns "Š" into "Š" or "©")."""

from __future__ import annotations

import codecs

from briefing.ingest.model import IngestError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SAMPLE = 64 * 1024
# Control characters that do not occur in text (everything below 0x20 but \t \n \f \r and ESC).
_BINARY_BYTES = bytes(set(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B})


def decode_text(data: bytes) -> str:
    """Return `data` decoded; raise IngestError for binary or undecodable content."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom):], encoding)
    if b"\x00" in data[:_SAMPLE]:
        return _decode(data, _utf16_without_bom(data[:_SAMPLE]))
    head = data[:_SAMPLE]
    if len(head.translate(None, _BINARY_BYTES)) < len(head) * 0.97:
        raise IngestError("binary content, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise IngestError("cannot decode the text (not UTF-8, UTF-16 or Windows-1252)") from None


def _utf16_without_bom(head: bytes) -> str:
    """Return the UTF-16 byte order of BOM-less `head` (mostly ASCII), or refuse it as binary."""
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > len(odd) * 0.3 and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.3 and odd.count(0) == 0:
        return "utf-16-be"
    raise IngestError("binary content, not text")


def _decode(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise IngestError(f"cannot decode the text (damaged {encoding.upper()})") from None
    if "\x00" in text:
        raise IngestError("binary content, not text")
    return text
