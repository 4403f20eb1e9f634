"""A small reader for gettext .po files, enough to check that catalogues are complete."""

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgctxt: str = ""
    msgid: str = ""
    msgid_plural: str = ""
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def _unquote(line: str) -> str:
    return ast.literal_eval(line)


def read_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None

    def finish():
        nonlocal entry, target
        if entry.msgid or entry.msgstr:
            entries.append(entry)
        entry, target = Entry(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            entry.obsolete = True
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            if entry.msgstr:
                finish()
            entry.msgctxt = _unquote(line[8:])
            target = ("msgctxt", 0)
        elif line.startswith("msgid_plural "):
            entry.msgid_plural = _unquote(line[13:])
            target = ("msgid_plural", 0)
        elif line.startswith("msgid "):
            if entry.msgstr and not entry.msgctxt:
                finish()
            entry.msgid = _unquote(line[6:])
            target = ("msgid", 0)
        elif line.startswith("msgstr["):
            index = int(line[7 : line.index("]")])
            entry.msgstr[index] = _unquote(line[line.index("]") + 2 :])
            target = ("msgstr", index)
        elif line.startswith("msgstr "):
            entry.msgstr[0] = _unquote(line[7:])
            target = ("msgstr", 0)
        elif line.startswith('"') and target:
            kind, index = target
            if kind == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, kind, getattr(entry, kind) + _unquote(line))
    finish()
    return [e for e in entries if e.msgid and not e.obsolete]
