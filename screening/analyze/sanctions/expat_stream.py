"""The streaming XML reader both OFAC formats share (``sdn.xml`` and the advanced form).

Why expat and not a tree: the files are tens of megabytes, and a list is read once into small
entries. Why here and not defusedxml: the reader refuses any document type or entity
declaration itself (expat calls ``refuse`` before anything is expanded), so a hostile list file
cannot expand entities or reach outside; the refusal and malformed XML both become one
``ListError`` naming the file and line.
"""

from __future__ import annotations

import xml.parsers.expat

from screening.errors import ListError


class Refused(Exception):
    """A declaration this reader does not accept (DTDs and entities)."""


class StreamReader:
    """A namespace-aware expat parser with the safety handlers set; subclasses handle elements
    in ``start``/``end`` and check the root element with ``enter``."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.parser = xml.parsers.expat.ParserCreate(namespace_separator="}")
        self.parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.chars
        self.parser.StartDoctypeDeclHandler = self.refuse
        self.parser.EntityDeclHandler = self.refuse
        self.stack: list[str] = []
        self.text: list[str] = []

    def refuse(self, *_: object) -> None:
        raise Refused("a document type or entity declaration (refused for safety)")

    def fail(self, message: str, line: int | None = None) -> ListError:
        return ListError(f"{self.label}, line {line or self.parser.CurrentLineNumber}: {message}")

    def chars(self, data: str) -> None:
        self.text.append(data)

    def enter(self, tag: str, root: str, kind: str) -> str:
        """Push ``tag``'s local name (refusing a document whose root is not ``root``)."""
        local = tag.rsplit("}", 1)[-1]
        if not self.stack and local != root:
            raise self.fail(f"not an {kind} file (the root element is {local!r})")
        self.stack.append(local)
        self.text = []
        return local

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        raise NotImplementedError

    def end(self, tag: str) -> None:
        raise NotImplementedError

    def parse(self, data: bytes) -> None:
        """Feed the whole document; every refusal or syntax error is one ``ListError``."""
        try:
            self.parser.Parse(data, True)
        except Refused as exc:
            raise self.fail(str(exc)) from None
        except xml.parsers.expat.ExpatError as exc:
            message = xml.parsers.expat.ErrorString(exc.code) if exc.code else str(exc)
            raise ListError(
                f"{self.label}, line {exc.lineno}: not well-formed XML ({message})"
            ) from None
