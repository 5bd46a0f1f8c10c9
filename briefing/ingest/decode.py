"""Turn the bytes of a text file into text: a BOM decides (UTF-8, UTF-16, UTF-32); else UTF-8
if the bytes are valid UTF-8, UTF-16 without a BOM if it is mostly ASCII; else the encoding
charset-normalizer finds among the ones our documents come in (Windows-1250/1252,
ISO-8859-2/15, Shift-JIS, EUC-JP, Cyrillic, Greek, Chinese, Korean, UTF-16 without a BOM).
Binary data is refused, and so is text no encoding reads cleanly (without odd symbols,
control characters or words mixing scripts): a wrong guess silently turns "Š" into "©"."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

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
# The encodings charset-normalizer may choose from, most likely first (the order breaks ties).
CANDIDATES = (
    "cp1252", "cp1250", "iso8859_2", "iso8859_15", "cp932", "shift_jis", "euc_jp",
    "iso2022_jp", "cp1251", "koi8_r", "cp1253", "iso8859_7", "gb18030", "big5", "euc_kr",
    "utf_16_le", "utf_16_be",
)
_NAMES = {
    "cp1252": "Windows-1252", "cp1250": "Windows-1250", "iso8859_2": "ISO-8859-2",
    "iso8859_15": "ISO-8859-15", "cp932": "Shift-JIS", "shift_jis": "Shift-JIS",
    "euc_jp": "EUC-JP", "iso2022_jp": "ISO-2022-JP", "cp1251": "Windows-1251",
    "koi8_r": "KOI8-R", "cp1253": "Windows-1253", "iso8859_7": "ISO-8859-7",
    "gb18030": "GB18030", "big5": "Big5", "euc_kr": "EUC-KR", "utf_16_le": "UTF-16",
    "utf_16_be": "UTF-16",
}
_UTF16 = ("utf_16_le", "utf_16_be")
_MAX_CHAOS = 0.1  # charset-normalizer's "mess" above which a reading is not clean
_MAX_ODDITIES = 0.05  # odd characters or mixed-script words per word in a good reading
_WORD = re.compile(r"[^\W\d_]+")
# Text in UTF-16 without a BOM and without ASCII must look like Japanese to be believed.
_CJK_TEXT = re.compile(r"[\s\u3000-\u30ff\uff00-\uffef]")


def decode_text(data: bytes) -> str:
    """Return `data` decoded; raise IngestError for binary or undecodable content."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom):], encoding)
    head = data[:_SAMPLE]
    if b"\x00" in head:
        return _decode(data, _utf16_without_bom(head))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if len(head.translate(None, _BINARY_BYTES)) < len(head) * 0.97:
        # Not text in an 8-bit or multibyte encoding; maybe UTF-16 without a BOM or ASCII.
        return _decode(data, _guess(head, _UTF16, "binary content, not text"))
    return _decode(data, _guess(head))


def _utf16_without_bom(head: bytes) -> str:
    """Return the UTF-16 byte order of BOM-less `head`, or refuse it as binary."""
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > len(odd) * 0.3 and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.3 and odd.count(0) == 0:
        return "utf-16-be"
    return _guess(head, _UTF16, "binary content, not text")  # Japanese, say


@dataclass(frozen=True)
class _Reading:
    encoding: str
    text: str
    chaos: float
    coherence: float
    oddities: int
    words: int


def _guess(head: bytes, candidates: tuple[str, ...] = CANDIDATES,
           unknown: str = "cannot decode the text (its encoding is not recognised; "
                          "save it as UTF-8)") -> str:
    """Return the encoding `head` is reliably in, or refuse it (with `unknown` if no encoding
    reads it cleanly)."""
    from charset_normalizer import from_bytes

    readings = []
    for match in from_bytes(head, cp_isolation=list(candidates)):
        encoding = codecs.lookup(match.encoding).name.replace("-", "_")
        text = str(match)
        if encoding.startswith("utf_16") and len(_CJK_TEXT.findall(text)) < len(text) * 0.1:
            continue  # random bytes read as UTF-16 make plausible-looking ideographs
        oddities, words = _oddities(text)
        readings.append(_Reading(encoding, text, match.chaos, match.coherence, oddities, words))
    good = [r for r in readings
            if r.chaos <= _MAX_CHAOS and r.oddities <= max(1, r.words) * _MAX_ODDITIES]
    if not good:
        raise IngestError(unknown)
    # Fewest odd characters, then least mess, then the language that fits best, then the
    # likelier encoding (Windows-1252 before Windows-1250 when both read the text alike).
    return min(good, key=lambda r: (r.oddities, round(r.chaos, 2), -round(r.coherence, 2),
                                    _rank(r.encoding))).encoding


def _rank(encoding: str) -> int:
    return CANDIDATES.index(encoding) if encoding in CANDIDATES else len(CANDIDATES)


def _name(encoding: str) -> str:
    return _NAMES.get(encoding, encoding.upper())


def _oddities(text: str) -> tuple[int, int]:
    """Return how many characters of `text` are symbols, controls or unassigned, plus its
    words mixing scripts ("Cafщ"), and how many words it has: a wrong encoding makes these."""
    odd = sum(
        1 for c in text
        if unicodedata.category(c) in ("So", "Sm", "Sk", "Co", "Cn", "Cc") and c not in "\t\n\r\f"
    )
    words = _WORD.findall(text)
    mixed = sum(1 for w in words if len({_script(c) for c in w} - {""}) > 1)
    return odd + mixed, len(words)


def _script(char: str) -> str:
    """Return the alphabet of `char` ("" for others: Japanese mixes kana, kanji and Latin)."""
    script = unicodedata.name(char, "").split(" ", 1)[0]
    return script if script in ("LATIN", "CYRILLIC", "GREEK") else ""


def _decode(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise IngestError(f"cannot decode the text (damaged {_name(encoding)})") from None
    if "\x00" in text:
        raise IngestError("binary content, not text")
    return text
