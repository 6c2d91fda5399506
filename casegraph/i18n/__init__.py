"""The one message catalogue: 简体中文 by default, English with CASEGRAPH_LANG=en or Accept-Language.

Message ids are the English texts (so English needs no catalogue). The Chinese texts live in
`locale/zh_CN/LC_MESSAGES/casegraph.po`, compiled by Babel into the `.mo` file that the standard
library's `gettext` reads: loading it costs one small file read and imports nothing heavy, which
keeps `casegraph --help` fast.

Errors are raised with their English text at hundreds of sites; `translate` finds the catalogue
template a formatted text came from (`no entity {key}` for `no entity ric:…`) and fills in the
same values, so those sites stay as they are and one catalogue serves the CLI and the API.
"""

from __future__ import annotations

import gettext as _gettext
import os
import re
from functools import cache
from pathlib import Path

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "N_", "current_language", "gettext", "language_from_header", "translate"]

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "casegraph"


def normalise_language(value: str | None) -> str:
    """`en`, `en_US.UTF-8`, `EN-gb` → en; `zh`, `zh-CN`, `zh_Hans`, empty, unknown → zh."""
    if value and value.strip().lower().replace("_", "-").split("-")[0].split(".")[0] == "en":
        return "en"
    return DEFAULT_LANGUAGE


def current_language() -> str:
    """The language of this process (CLI): CASEGRAPH_LANG, else 简体中文."""
    return normalise_language(os.environ.get("CASEGRAPH_LANG"))


def language_from_header(accept_language: str | None) -> str:
    """The best of zh/en in an Accept-Language header (q-values honoured); 简体中文 when neither is named."""
    best: tuple[float, str] | None = None
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGUAGES:
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0 and (best is None or q > best[0]):
            best = (q, primary)
    return best[1] if best else DEFAULT_LANGUAGE


@cache
def _catalogue(language: str) -> _gettext.NullTranslations:
    if language == "en":
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=["zh_CN"], fallback=True)


def N_(message: str) -> str:
    """Mark `message` for the catalogue where it is defined; it is translated where it is shown."""
    return message


def gettext(message: str, language: str | None = None) -> str:
    """The catalogue's text for `message` in `language` (default: the process's)."""
    return _catalogue(language or current_language()).gettext(message)


_PLACEHOLDER = re.compile(r"\{(\w*)(?:[:!][^{}]*)?\}")


@cache
def _templates(language: str) -> list[tuple[re.Pattern[str], str, list[str]]]:
    """Each msgid with placeholders as a pattern over formatted texts, longest (most specific) first."""
    catalogue = _catalogue(language)
    messages: dict[str, str] = getattr(catalogue, "_catalog", {})
    out = []
    for msgid, msgstr in messages.items():
        if not isinstance(msgid, str) or "{" not in msgid or not msgstr:
            continue
        if not _PLACEHOLDER.sub("", msgid).strip():
            continue  # `{edge} {other}` would match any text with a space and "translate" it into itself
        names: list[str] = []
        pattern = ""
        last = 0
        for m in _PLACEHOLDER.finditer(msgid):
            pattern += re.escape(msgid[last:m.start()]) + f"(?P<p{len(names)}>.+?)"
            names.append(m.group(1))
            last = m.end()
        pattern += re.escape(msgid[last:])
        out.append((re.compile(pattern, re.DOTALL), msgstr, names))
    out.sort(key=lambda t: -len(t[0].pattern))
    return out


def _fill(msgstr: str, names: list[str], found: list[str]) -> str:
    """`msgstr` with its named placeholders from `names`/`found`, unnamed ones (`{}`) in order."""
    values = {name: value for name, value in zip(names, found, strict=True) if name}
    unnamed = iter(value for name, value in zip(names, found, strict=True) if not name)
    return _PLACEHOLDER.sub(lambda ph: values[ph.group(1)] if ph.group(1) else next(unnamed, ""), msgstr)


def translate(text: str, language: str | None = None, _depth: int = 0) -> str:
    """`text` (an English message, maybe formatted) in `language`; unchanged when the catalogue lacks it.

    The values filled into a template are translated too (one level: a file's quarantine reason).
    """
    language = language or current_language()
    if language == "en" or not text:
        return text
    exact = gettext(text, language)
    if exact != text:
        return exact
    for pattern, msgstr, names in _templates(language):
        m = pattern.fullmatch(text)
        if m is None:
            continue
        found = [m.group(f"p{i}") for i in range(len(names))]
        if _depth == 0:
            found = [translate(value, language, 1) for value in found]
        return _fill(msgstr, names, found)
    return text


def error_line(exc: BaseException | str, language: str | None = None) -> str:
    """`错误：…` for the CLI's stderr (rich markup), the message in the catalogue's language."""
    label = gettext("error:", language)
    return f"[red]{label}[/red]{'' if label.endswith('：') else ' '}{translate(str(exc), language)}"
