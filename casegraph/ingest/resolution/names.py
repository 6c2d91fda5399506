"""Person names: surnames, anonymised forms (张某, 张某某, 王某2, 李×) and their compatibility."""

from __future__ import annotations

import re

from casegraph.ingest.lexicon import surnames

# The surname followed by 某 (one per given-name character), a mask character, or 某 and a digit.
_ANONYMISED = re.compile(r"^(?P<surname>.{1,2}?)(?P<mask>某+\d*|[×X＊*]+)$")


def surname(name: str) -> str:
    _, compound = surnames()
    return name[:2] if name[:2] in compound else name[:1]


def is_anonymised(name: str) -> bool:
    return bool(_ANONYMISED.match(name)) and not name.isdigit()


def anonymised_fits(anonymised: str, full: str) -> bool:
    """Whether `anonymised` can be the masked form of the full name `full`.

    The surname must be equal and, for the 某-only form, one 某 stands for each character of the
    given name (孟明 → 孟某, 王玲秀 → 王某某): that is how the courts and the corpus write them.
    """
    match = _ANONYMISED.match(anonymised)
    if match is None or is_anonymised(full):
        return False
    family = surname(full)
    if match.group("surname") != family:
        return False
    mask = match.group("mask")
    if re.fullmatch(r"某+", mask):
        return len(mask) == len(full) - len(family)
    return True


def anonymised_surname_fits(anonymised: str, full: str) -> bool:
    """Whether `anonymised` keeps the surname of `full`, whatever the length of its mask: courts also
    write 杜某 for 杜霞玉. Too loose to go by alone; with the same full birth date it is enough."""
    match = _ANONYMISED.match(anonymised)
    return match is not None and not is_anonymised(full) and match.group("surname") == surname(full)
