"""Text as every front end shows it: the GUI, the CLI and exports print the same words."""

from __future__ import annotations

import re

_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def reflow(text: str) -> str:
    """Join the hard line breaks of a YAML block into running text, keeping paragraphs and list items.

    Authors break lines to keep their files readable; kept as they are, those breaks fight the
    label's own wrapping and leave ragged half-empty lines.
    """
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines: list[str] = []
        for raw in block.splitlines():
            line = raw.strip()
            if not line:
                continue
            if lines and not _LIST_ITEM.match(raw):
                lines[-1] = f"{lines[-1]} {line}"
            else:
                lines.append(line)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)
