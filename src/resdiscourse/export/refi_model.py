"""Plain data of a REFI-QDA project or codebook (no I/O): what the writer writes and the reader
reads (REFI-QDA 1.5, namespaces ``urn:QDA-XML:project:1.0`` and ``urn:QDA-XML:codebook:1.0``).

Offsets (``start``/``end`` of a selection) are Unicode code points into the source's plain text,
0-based, end exclusive, which is our own coordinate system too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PROJECT_NAMESPACE = "urn:QDA-XML:project:1.0"
CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"


@dataclass(frozen=True)
class RefiUser:
    """A coder: each REFI User is one coder in ``compare``."""

    guid: str
    name: str


@dataclass(frozen=True)
class RefiCode:
    """A code of the codebook; ``children`` nest (our dimensions hold their codes)."""

    guid: str
    name: str
    description: str = ""
    color: str = ""  # "#RRGGBB" or empty
    is_codable: bool = True
    children: tuple[RefiCode, ...] = ()

    def walk(self) -> list[RefiCode]:
        """This code and all its descendants, depth first, in document order."""
        found = [self]
        for child in self.children:
            found += child.walk()
        return found


@dataclass(frozen=True)
class RefiSet:
    """A set (group) of codes, as ATLAS.ti's code groups."""

    guid: str
    name: str
    description: str = ""
    member_codes: tuple[str, ...] = ()  # code GUIDs


@dataclass(frozen=True)
class RefiCodebook:
    """The codes (nested) and sets: a ``.qdc`` file, or the CodeBook of a project."""

    codes: tuple[RefiCode, ...] = ()
    sets: tuple[RefiSet, ...] = ()
    origin: str = ""

    def all_codes(self) -> list[RefiCode]:
        return [found for code in self.codes for found in code.walk()]

    def by_guid(self) -> dict[str, RefiCode]:
        return {code.guid: code for code in self.all_codes()}

    def paths(self) -> dict[str, str]:
        """Code GUID -> its name path from the root, joined by "/" (e.g. "locus/attribute")."""
        paths: dict[str, str] = {}

        def visit(code: RefiCode, prefix: str) -> None:
            path = f"{prefix}/{code.name}" if prefix else code.name
            paths[code.guid] = path
            for child in code.children:
                visit(child, path)

        for code in self.codes:
            visit(code, "")
        return paths


@dataclass(frozen=True)
class RefiCoding:
    """One application of a code to a selection, by a user."""

    guid: str
    code_guid: str
    user_guid: str = ""


@dataclass(frozen=True)
class RefiSelection:
    """A PlainTextSelection: [start, end) in code points of the source's text, with its codings."""

    guid: str
    start: int
    end: int
    name: str = ""
    user_guid: str = ""  # creatingUser of the selection
    codings: tuple[RefiCoding, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class RefiVariable:
    """A variable (attribute) definition; ``type`` is the REFI typeOfVariable."""

    guid: str
    name: str
    type: str = "Text"  # Text | Boolean | Integer | Float | Date | DateTime
    description: str = ""


@dataclass(frozen=True)
class RefiSource:
    """A TextSource: its plain text (exactly our clean text when we write it), its selections and
    its variable values (variable GUID -> value as text)."""

    guid: str
    name: str
    text: str
    selections: tuple[RefiSelection, ...] = ()
    values: tuple[tuple[str, str], ...] = ()  # (variable GUID, value)
    user_guid: str = ""
    description: str = ""


@dataclass(frozen=True)
class RefiProject:
    """A ``.qdpx`` project: users, codebook, variables and text sources."""

    name: str
    origin: str = ""
    creating_user: str = ""  # GUID of a user
    users: tuple[RefiUser, ...] = ()
    codebook: RefiCodebook = field(default_factory=RefiCodebook)
    variables: tuple[RefiVariable, ...] = ()
    sources: tuple[RefiSource, ...] = ()

    def user_names(self) -> dict[str, str]:
        return {user.guid: user.name for user in self.users}
