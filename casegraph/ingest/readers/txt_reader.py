"""Plain text: UTF-8, UTF-8 with BOM, UTF-16 with BOM, or GB18030/GBK/GB2312 and Big5, detected.

Strict UTF-8 is tried first because it almost never decodes anything else by accident; for
the rest charset-normalizer measures which encoding makes sense of the bytes. Only encodings
Chinese case files are written in are accepted: anything else is a wrong-encoding file.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from casegraph.errors import UnreadableFile
from casegraph.ingest.readers.base import ReadResult, read_bytes

# charset-normalizer names -> the codec used to decode (GB18030 is a superset of GBK and GB2312)
_ACCEPTED = {"gb18030": "gb18030", "gbk": "gb18030", "gb2312": "gb18030", "hz": "hz",
             "big5": "big5", "big5hkscs": "big5hkscs", "cp950": "cp950"}


def _cjk_share(text: str) -> float:
    letters = [c for c in text if not c.isspace() and not c.isascii()]
    if not text.strip():
        return 0.0
    cjk = sum(1 for c in letters if "\u3400" <= c <= "\u9fff")
    return cjk / max(1, len(text.strip()))


def _mojibake(text: str) -> str | None:
    """Why a decoded text is garbled, or None. Chinese bytes once read as Latin-1 or cp1252 and saved
    again as UTF-8 are valid UTF-8, so decoding succeeds; what gives them away is that the non-ASCII
    characters are Latin-1 accents instead of Chinese, and that re-encoding them gives back bytes
    that decode as GB18030 or UTF-8 Chinese."""
    foreign = [c for c in text if not c.isascii() and not c.isspace()]
    if not foreign:
        return None
    replaced = text.count("\ufffd")
    if replaced > max(2, len(foreign) // 100):
        return f"wrong encoding: {replaced} replacement characters (\ufffd): the text was decoded with the wrong codec"
    cjk = sum(1 for c in foreign if "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef")
    latin = sum(1 for c in foreign if "\u0080" <= c <= "\u02ff" or "\u2000" <= c <= "\u206f")
    if cjk >= len(foreign) // 2 or latin < len(foreign) * 0.3:
        return None
    for legacy in ("latin-1", "cp1252"):
        try:
            original = text.encode(legacy)
        except UnicodeEncodeError:
            continue
        for codec in ("gb18030", "utf-8"):
            try:
                repaired = original.decode(codec)
            except UnicodeDecodeError:
                continue
            if _cjk_share(repaired) > 0.2:
                return (f"wrong encoding: mojibake ({codec} text read as {legacy} and saved again as UTF-8; "
                        f"it begins {repaired.strip()[:12]!r} when repaired)")
    return None


def decode_text(path: Path, raw: bytes) -> tuple[str, str]:
    """Decoded text and the encoding used; raises UnreadableFile when no accepted one fits."""
    if b"\x00" in raw and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableFile(str(path), "binary content (NUL bytes), not a text file")
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise UnreadableFile(str(path), f"UTF-8 BOM but invalid UTF-8 at byte {exc.start}") from exc
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise UnreadableFile(str(path), f"UTF-16 BOM but invalid UTF-16 at byte {exc.start}") from exc
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(raw).best()
    if best is None:
        # charset_normalizer gives up on some short, punctuation-heavy GB18030 files (a judgment of
        # 2 KB was one); GB18030 is the legacy encoding these files come in, so try it before refusing.
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            text = ""
        if _cjk_share(text) >= 0.2:
            return text, "gb18030"
        raise UnreadableFile(str(path), "binary content: no text encoding fits the bytes")
    detected = best.encoding.lower().replace("_", "")
    codec = _ACCEPTED.get(detected)
    if codec is None:
        # A bank statement is mostly digits: its few Chinese characters (a header, 进/出, names) are too
        # little for charset-normalizer, which has taken GBK exports for Thai (cp874). GB18030 that
        # decodes strictly to Chinese wherever a byte is not ASCII is what the file is.
        chinese = _gb18030_if_chinese(raw)
        if chinese is not None:
            return chinese, "gb18030"
        raise UnreadableFile(str(path), f"wrong encoding: detected {best.encoding}, expected UTF-8 or GB18030")
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise UnreadableFile(str(path), f"wrong encoding: not valid {codec} at byte {exc.start}") from exc
    if _cjk_share(text) < 0.05 and _chinese_of_foreign(text) < 0.9:
        raise UnreadableFile(str(path), f"wrong encoding: {codec} decodes to no Chinese text")
    return text, "gb18030" if codec == "gb18030" else codec


def _chinese_of_foreign(text: str) -> float:
    """The share of the non-ASCII characters that are Chinese (CJK, full-width forms, CJK punctuation);
    0 when there are fewer than four: too few to tell."""
    foreign = [c for c in text if not c.isascii() and not c.isspace()]
    if len(foreign) < 4:
        return 0.0
    chinese = sum(1 for c in foreign if "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef")
    return chinese / len(foreign)


def _gb18030_if_chinese(raw: bytes) -> str | None:
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return text if _chinese_of_foreign(text) >= 0.9 else None


def read_txt(path: Path) -> ReadResult:
    raw, sha = read_bytes(path)
    text, encoding = decode_text(path, raw)
    check_garbled(path, text)
    check_text(path, text)
    return ReadResult(text=text, sha256=sha, format="txt", encoding=encoding)


def check_garbled(path: Path, text: str) -> None:
    garbled = _mojibake(text)
    if garbled:
        raise UnreadableFile(str(path), garbled)


def check_text(path: Path, text: str) -> None:
    """Refuse binary content that decoded: control characters no text file holds."""
    if any(c in text for c in "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12"):
        raise UnreadableFile(str(path), "binary content (control characters), not a text file")
