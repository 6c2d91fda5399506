"""Officials: the judges, clerks, prosecutors and reporting officers a document names at its foot
(审判长  王磊, 检察官  李娜, 报告人：张敏), always without an identifier.

An official is not a party: the document names him because he acted for the institution that
issued it. So the resolver ties him to that institution (ACTS_FOR, Person -> Agency) instead of
leaving a name alone, and the linker may then treat the same name acting for the same court or
procuratorate as one person, which is how a reader of the court's files would take it.
"""

from __future__ import annotations

import re

TITLES = ("代理审判员", "人民陪审员", "审判长", "审判员", "陪审员", "书记员", "法官助理", "检察长", "检察官", "检察员",
          "报告人", "执法人员", "经办人", "承办人", "办案人", "侦查员")
# A title, then at most a colon and spaces, right before the name on the same line.
_TITLE = re.compile("(" + "|".join(TITLES) + r")[ \t\u3000:：]*$")


def official_title(text: str, start: int) -> str | None:
    """The official's title written right before the mention at `start`, or None (not an official)."""
    line_start = text.rfind("\n", 0, start) + 1
    found = _TITLE.search(text, line_start, start)
    return found.group(1) if found else None
