"""Read REFI-QDA projects (``.qdpx`` / ``.qde``) and codebooks (``.qdc``) into the plain model of
:mod:`resdiscourse.export.refi_model`, safely: exports from NVivo, ATLAS.ti, MAXQDA, QualCoder
and qc come from other people's machines, so every file is treated as possibly hostile.

Safety rules (why: a ``.qdpx`` is a zip of XML and texts, the classic carrier of zip bombs, zip
slip and XML entity attacks):

* archives (the ``.qdpx`` and any ``.docx`` inside it) are read through
  :class:`resdiscourse.safezip.SafeZip`: nothing is ever extracted to disk, sizes and ratios
  are checked before and while a member is inflated, and entry names with ``..``, an absolute
  path or a drive letter make the whole archive refused; its limits apply to files read from
  disk too (``safezip.MAX_ENTRY_BYTES``);
* memory stays bounded: ``project.qde`` is parsed as it streams out of the archive, and each
  source is turned into the model and dropped from the XML tree as soon as it ends, so the tree
  never holds more than one source; only the source texts themselves are kept;
* XML is parsed by defusedxml with DTDs, entities and external references forbidden;
* files outside the archive are read only through ``relative://``, only from the folder that
  holds the ``.qdpx``/``.qde`` being read (never from the project's ``basePath``, which the file
  itself sets), only when they resolve inside that folder (``..`` and symlinks included), are
  regular ``.txt``/``.docx`` files and fit the per-entry limit; ``absolute://`` and ``file://``
  are never followed (W404): a project could otherwise make us read any file of this machine
  into our outputs.

Fatal problems raise :class:`~resdiscourse.errors.ResdiscourseError` (E401-E403, E100); what is
read but cannot be represented, or is dropped, is returned as warnings (W401-W407).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as DefusedET
import docx
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from resdiscourse import safezip
from resdiscourse.errors import Location, Problem, ResdiscourseError, problem
from resdiscourse.export.refi_model import (
    CODEBOOK_NAMESPACE,
    PROJECT_NAMESPACE,
    RefiCode,
    RefiCodebook,
    RefiCoding,
    RefiProject,
    RefiSelection,
    RefiSet,
    RefiSource,
    RefiUser,
    RefiVariable,
)

# The size limits of archives and of files read from disk are those of resdiscourse.safezip
# (module constants there, so that a caller or a test can tighten them): a source text is kept
# whole (as a str of up to four bytes a character), the rest streams through.
MAX_CODE_DEPTH = 100  # nesting of Code in Code (we recurse on it)

PROJECT_ENTRY = "project.qde"
_BOM = b"\xef\xbb\xbf"
#: The advice of E401 when the archive itself is not a zip, and when one of its members is damaged.
_NOT_A_ZIP = "a .qdpx project is a zip holding project.qde: export it again from the QDA software"
_DAMAGED = "the archive is damaged or encrypted: export it again"


@dataclass
class RefiRead:
    """A project read from a ``.qdpx``/``.qde`` and the warnings met on the way."""

    project: RefiProject
    problems: list[Problem] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Public API


def read_qdpx(path: str | Path) -> RefiRead:
    """Read a ``.qdpx`` project (or a bare ``.qde`` XML file, its sources beside it)."""
    path = Path(path)
    where = Location(file=str(path))
    _check_is_file(path, where)
    try:
        if path.suffix.lower() == ".qde":
            return _read_bare_qde(path, where)
        return _read_archive(path, where)
    except ResdiscourseError:
        raise
    except safezip.Refused as error:
        raise _e402(where, error.detail) from None
    except safezip.Unreadable as error:
        raise _e401(where, error.detail, _DAMAGED if error.member else _NOT_A_ZIP) from None
    except Exception as error:  # a bug of ours, not a bad file: still a coded, catchable error
        raise ResdiscourseError.of("E113", where, detail=safezip.describe(error)) from error


def read_qdc(path: str | Path) -> tuple[RefiCodebook, list[Problem]]:
    """Read a ``.qdc`` codebook: its nested codes and its sets, and the warnings."""
    path = Path(path)
    where = Location(file=str(path))
    _check_is_file(path, where)
    try:
        root = _parse_xml(_read_disk(path, where), where, path.name)
        _check_root(root, "CodeBook", CODEBOOK_NAMESPACE, where, path.name)
        ctx = _Ctx(where, CODEBOOK_NAMESPACE)
        codebook = RefiCodebook(
            codes=_codes(ctx, ctx.child(root, "Codes")),
            sets=_sets(ctx, ctx.child(root, "Sets")),
            origin=root.get("origin", ""),
        )
        ctx.flush_losses()
        return codebook, ctx.problems
    except ResdiscourseError:
        raise
    except Exception as error:  # see read_qdpx
        raise ResdiscourseError.of("E113", where, detail=safezip.describe(error)) from error


# --------------------------------------------------------------------------------------------
# Files: the archive, the folder of a bare .qde, and external files


def _check_is_file(path: Path, where: Location) -> None:
    if not path.exists():
        raise ResdiscourseError.of("E100", where, file=str(path))
    if not path.is_file():
        raise _e401(where, f"{path} is not a file", "give the .qdpx, .qde or .qdc file itself")


def _read_disk(path: Path, where: Location) -> bytes:
    """A whole file from disk, refusing one larger than the per-entry limit."""
    limit = safezip.MAX_ENTRY_BYTES
    try:
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
    except OSError as error:
        detail = f"cannot open {path}: {error.strerror or error}"
        raise _e401(where, detail, "check the file and its permissions") from None
    if len(data) > limit:
        raise _e402(where, f"{path.name} is larger than {limit} bytes")
    return data


@contextmanager
def _disk_stream(path: Path, where: Location) -> Iterator[safezip.LimitedStream]:
    """A file from disk as a stream, refused once it passes the per-entry limit."""

    def check(size: int) -> None:
        if size > safezip.MAX_ENTRY_BYTES:
            raise _e402(where, f"{path.name} is larger than {safezip.MAX_ENTRY_BYTES} bytes")

    try:
        stream = path.open("rb")
    except OSError as error:
        detail = f"cannot open {path}: {error.strerror or error}"
        raise _e401(where, detail, "check the file and its permissions") from None
    with stream:
        yield safezip.LimitedStream(stream, check)


@dataclass
class _Files:
    """Resolves the paths of a project's sources: ``internal://`` (the archive's ``sources/``
    folder, or ``sources/`` beside a bare .qde) and ``relative://`` (the folder holding the
    project file only). ``absolute://`` and ``file://`` are refused."""

    archive: safezip.SafeZip | None
    folder: Path  # the folder holding the .qdpx/.qde: the only root of relative:// paths
    base_path: str  # the project's basePath attribute: only named in messages, never read
    where: Location

    def fetch(self, ref: str, suffix: str) -> tuple[bytes | None, str]:
        """The bytes ``ref`` points to, or None and why not. ``suffix`` is the only extension
        read from disk (a hostile project must not make us read arbitrary local files)."""
        scheme, separator, rest = ref.partition("://")
        if not separator:
            # qc writes a bare file name: it means a member of sources/ like internal://.
            scheme, rest = "internal", ref
        scheme = scheme.lower()
        if scheme == "internal":
            return self._internal(rest, suffix)
        if scheme == "relative":
            return self._relative(unquote(rest), suffix)
        if scheme in {"absolute", "file"}:
            return None, (
                f"{ref} was not read: absolute paths are not followed (a project file could "
                "point at any file of this machine); put the text inside the .qdpx (export the "
                "project with its sources embedded) or beside the project as a relative:// path"
            )
        return None, f"{ref!r} uses an unsupported path scheme {scheme!r}"

    def _internal(self, name: str, suffix: str) -> tuple[bytes | None, str]:
        if self.archive is not None:
            for candidate in dict.fromkeys([name, unquote(name)]):
                data = self.archive.read(f"sources/{candidate}")
                if data is not None:
                    return data, ""
            return None, f"sources/{name} is not in the archive"
        return self._inside(self.folder / "sources", unquote(name), suffix)

    def _relative(self, rest: str, suffix: str) -> tuple[bytes | None, str]:
        # Only the folder holding the project file is a root. The project's basePath is ignored
        # on purpose: the (possibly hostile) file sets it, and basePath="/" would open the whole
        # disk to relative:// paths.
        data, why = self._inside(self.folder, rest.lstrip("/\\"), suffix)
        if data is not None:
            return data, ""
        ignored = (
            f"; its basePath {self.base_path!r} is ignored for safety" if self.base_path else ""
        )
        return None, (
            f"relative://{rest}: {why} (relative paths are read only from the folder of the "
            f"project{ignored}: put the file there, or embed the text in the .qdpx)"
        )

    def _inside(self, base: Path, relative: str, suffix: str) -> tuple[bytes | None, str]:
        """A file under ``base`` only: ``..`` and symlinks may not lead out of it."""
        try:
            root = base.resolve()
            path = (root / relative).resolve()
        except (OSError, RuntimeError, ValueError):
            return None, f"{relative} cannot be resolved"
        if not path.is_relative_to(root):
            return None, f"{relative} leads outside {base} and was not read"
        if not path.is_file():
            return None, f"{relative} is not found under {base}"
        return self._disk(path, suffix)

    def _disk(self, path: Path, suffix: str) -> tuple[bytes | None, str]:
        if path.suffix.lower() != suffix:
            return None, f"{path} is not a {suffix} file"
        return _read_disk(path, self.where), ""


def _read_archive(path: Path, where: Location) -> RefiRead:
    """The project in a .qdpx; read_qdpx turns safezip's refusals into E402 and E401."""
    with safezip.SafeZip(path, path.name) as archive:
        info = archive.infos.get(PROJECT_ENTRY)
        if info is None or info.is_dir():
            names = ", ".join(list(archive.infos)[:5]) or "none"
            raise _e401(
                where,
                f"no {PROJECT_ENTRY} at the root of the archive (entries: {names})",
                "a .qdpx holds project.qde at its root: export the project again as a "
                "REFI-QDA project (.qdpx)",
            )
        files = _Files(archive, path.parent, "", where)
        with archive.open(PROJECT_ENTRY) as stream:
            return _read_project(stream, PROJECT_ENTRY, files, where)


def _read_bare_qde(path: Path, where: Location) -> RefiRead:
    files = _Files(None, path.parent, "", where)
    with _disk_stream(path, where) as stream:
        return _read_project(stream, path.name, files, where)


# --------------------------------------------------------------------------------------------
# XML


def _parse_xml(data: bytes, where: Location, part: str) -> Element:
    """Parse with every DTD, entity and external reference refused."""
    with _xml_errors(where, part):
        root = DefusedET.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    return cast(Element, root)


@contextmanager
def _xml_errors(where: Location, part: str) -> Iterator[None]:
    """What the XML parser raises, as E401 (not XML) or E403 (a DTD, entity or external
    reference)."""
    try:
        yield
    except ResdiscourseError:
        raise  # from reading the stream or a source while parsing: already coded
    except DTDForbidden as error:
        raise _e403(where, part, f"a DTD (<!DOCTYPE {error.name}>)") from None
    except EntitiesForbidden as error:
        raise _e403(where, part, f"an entity declaration ({error.name!r})") from None
    except ExternalReferenceForbidden as error:
        raise _e403(where, part, f"an external reference ({error.sysid!r})") from None
    except ParseError as error:
        line, col = error.position
        message = re.sub(r": line \d+, column \d+$", "", str(error))
        raise ResdiscourseError.of(
            "E401",
            Location(file=where.file, line=line, col=col + 1),
            detail=f"{part} is not well-formed XML: {message} (line {line}, column {col + 1})",
            advice="the file is damaged or truncated: export it again from the QDA software",
        ) from None
    except (ValueError, LookupError) as error:  # e.g. an unknown encoding= declaration
        raise _e401(
            where, f"{part} cannot be parsed as XML ({safezip.describe(error)})", "export it again"
        ) from None


def _split_tag(tag: str) -> tuple[str, str]:
    """``{namespace}local`` -> (namespace, local)."""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _check_root(root: Element, tag: str, namespace: str, where: Location, part: str) -> None:
    found_ns, found_tag = _split_tag(root.tag)
    if (found_ns, found_tag) == (namespace, tag):
        return
    found = (
        f"<{found_tag}> in namespace {found_ns!r}" if found_ns else f"<{found_tag}> (no namespace)"
    )
    advice = f"expected a REFI-QDA file with <{tag}> in namespace {namespace!r}"
    if found_tag == "Project" and tag == "CodeBook":
        advice = "this is a REFI-QDA project, not a codebook: read it as a .qdpx/.qde project"
    elif found_tag == "CodeBook" and tag == "Project":
        advice = "this is a REFI-QDA codebook (.qdc), not a project: read it as a codebook"
    elif found_tag == tag:
        advice = f"export it again as REFI-QDA 1.0 ({namespace})"
    raise _e401(
        where,
        f"{part}: the root element is {found}; expected <{tag}> in namespace {namespace!r}",
        advice,
    )


@dataclass
class _Ctx:
    """What the parsing functions share: the namespace, the location and the warnings."""

    where: Location
    ns: str
    problems: list[Problem] = field(default_factory=list)
    losses: Counter[str] = field(default_factory=Counter)
    #: Whether the XML read so far held a CR byte (its line breaks may have been normalised).
    raw_has_cr: Callable[[], bool] = lambda: False

    def tag(self, name: str) -> str:
        return f"{{{self.ns}}}{name}"

    def child(self, elem: Element | None, name: str) -> Element | None:
        return None if elem is None else elem.find(self.tag(name))

    def children(self, elem: Element | None, name: str) -> list[Element]:
        return [] if elem is None else elem.findall(self.tag(name))

    def text(self, elem: Element | None, name: str) -> str:
        found = self.child(elem, name)
        return (found.text or "") if found is not None else ""

    def warn(self, code: str, **values: Any) -> None:
        self.problems.append(problem(code, self.where, **values))

    def lose(self, what: str, count: int = 1) -> None:
        if count:
            self.losses[what] += count

    def flush_losses(self) -> None:
        """One W401 per kind of thing read but not represented, with its count."""
        for what, count in self.losses.items():
            self.warn("W401", count=count, what=what)
        self.losses.clear()


def _required(ctx: _Ctx, elem: Element, attribute: str) -> str:
    value = elem.get(attribute, "").strip()
    if not value:
        _, local = _split_tag(elem.tag)
        raise _e401(
            ctx.where,
            f"a <{local}> has no {attribute} attribute",
            "every REFI-QDA code, source and user needs one: export the file again",
        )
    return value


def _is_true(value: str | None, default: bool) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"true", "1"}


def _integer(value: str | None) -> int | None:
    try:
        return int(value.strip()) if value is not None else None
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------
# Codebook: codes and sets


def _codes(ctx: _Ctx, parent: Element | None, depth: int = 0) -> tuple[RefiCode, ...]:
    if depth > MAX_CODE_DEPTH:
        raise _e401(
            ctx.where,
            f"codes are nested more than {MAX_CODE_DEPTH} levels deep",
            "the file is damaged or hostile: flatten the codebook and export it again",
        )
    return tuple(_code(ctx, elem, depth) for elem in ctx.children(parent, "Code"))


def _code(ctx: _Ctx, elem: Element, depth: int) -> RefiCode:
    return RefiCode(
        guid=_required(ctx, elem, "guid"),
        name=elem.get("name", ""),
        description=ctx.text(elem, "Description"),
        color=elem.get("color", ""),
        is_codable=_is_true(elem.get("isCodable"), default=True),
        children=_codes(ctx, elem, depth + 1),
    )


def _sets(ctx: _Ctx, parent: Element | None) -> tuple[RefiSet, ...]:
    """Sets of codes. Members that are sources or notes (project sets) cannot be kept; a set with
    no code member at all is not a code set and is dropped."""
    found: list[RefiSet] = []
    for elem in ctx.children(parent, "Set"):
        members = tuple(
            member.get("targetGUID") or member.get("guid") or ""
            for member in ctx.children(elem, "MemberCode")
        )
        others = len(ctx.children(elem, "MemberSource")) + len(ctx.children(elem, "MemberNote"))
        ctx.lose("set member(s) that are sources or notes", others)
        if not members and others:
            ctx.lose("Set(s) of sources or notes only")
            continue
        found.append(
            RefiSet(
                guid=_required(ctx, elem, "guid"),
                name=elem.get("name", ""),
                description=ctx.text(elem, "Description"),
                member_codes=tuple(member for member in members if member),
            )
        )
    return tuple(found)


# --------------------------------------------------------------------------------------------
# Project


def _read_project(
    stream: safezip.LimitedStream, part: str, files: _Files, where: Location
) -> RefiRead:
    """The project from its XML, parsed as it streams in. Each source becomes a
    :class:`RefiSource` when its element ends and its element is then emptied, so that the XML
    tree holds one source at a time. The codebook and users come before the sources in a
    REFI-QDA project; a file that puts them after gets its sources read at the end instead."""
    ctx = _Ctx(where, PROJECT_NAMESPACE, raw_has_cr=lambda: stream.has_cr)
    sources_tag = ctx.tag("Sources")
    root: Element | None = None
    heads: _Heads | None = None
    found: list[RefiSource] = []
    depth = 0
    in_sources = False
    with _xml_errors(where, part):
        events = DefusedET.iterparse(
            stream,
            events=("start", "end"),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
        for event, elem in events:
            if event == "start":
                depth += 1
                if root is None:
                    root = elem
                    _check_root(root, "Project", PROJECT_NAMESPACE, where, part)
                    files.base_path = root.get("basePath", "")
                elif depth == 2 and elem.tag == sources_tag:
                    in_sources = True
                    if ctx.child(root, "CodeBook") is not None:  # it came first, as it should
                        heads = _Heads.of(ctx, root)
                continue
            depth -= 1
            if depth == 1 and elem.tag == sources_tag:
                in_sources = False
            elif depth == 2 and in_sources and heads is not None:
                item = _source(ctx, files, elem, heads.known)
                if item is not None:
                    found.append(item)
                elem.clear()  # in the model now: the tree keeps one source at a time
    assert root is not None  # iterparse raises on a document without an element
    if heads is None:  # no Sources, or they came before the codebook
        heads = _Heads.of(ctx, root)
        for elem in list(ctx.child(root, "Sources") or []):
            item = _source(ctx, files, elem, heads.known)
            if item is not None:
                found.append(item)
    codebook = RefiCodebook(
        codes=heads.codes, sets=_sets(ctx, ctx.child(root, "Sets")), origin=root.get("origin", "")
    )
    project = RefiProject(
        name=root.get("name", ""),
        origin=root.get("origin", ""),
        creating_user=root.get("creatingUserGUID", ""),
        users=heads.users,
        codebook=codebook,
        variables=_variables(ctx, root),
        sources=tuple(found),
    )
    _count_unread_parts(ctx, root)
    _warn_unknown_users(ctx, heads.known)
    ctx.flush_losses()
    return RefiRead(project=project, problems=ctx.problems)


@dataclass(frozen=True)
class _Heads:
    """What the sources' codings are checked against: the codes and the users."""

    codes: tuple[RefiCode, ...]
    users: tuple[RefiUser, ...]
    known: _Known

    @classmethod
    def of(cls, ctx: _Ctx, root: Element) -> _Heads:
        codes = _codes(ctx, ctx.child(ctx.child(root, "CodeBook"), "Codes"))
        users = tuple(
            RefiUser(guid=_required(ctx, elem, "guid"), name=elem.get("name", ""))
            for elem in ctx.children(ctx.child(root, "Users"), "User")
        )
        guids = {code.guid for code in RefiCodebook(codes=codes).all_codes()}
        return cls(codes, users, _Known(guids, {user.guid for user in users}))


def _count_unread_parts(ctx: _Ctx, root: Element) -> None:
    for container, item in [("Cases", "Case"), ("Notes", "Note"), ("Links", "Link")]:
        ctx.lose(f"{item}(s)", len(ctx.children(ctx.child(root, container), item)))
    ctx.lose("Graph(s)", len(ctx.children(ctx.child(root, "Graphs"), "Graph")))
    if ctx.text(root, "Description").strip():
        ctx.lose("project Description")


def _variables(ctx: _Ctx, root: Element) -> tuple[RefiVariable, ...]:
    return tuple(
        RefiVariable(
            guid=_required(ctx, elem, "guid"),
            name=elem.get("name", ""),
            type=elem.get("typeOfVariable", "Text"),
            description=ctx.text(elem, "Description"),
        )
        for elem in ctx.children(ctx.child(root, "Variables"), "Variable")
    )


def _values(ctx: _Ctx, elem: Element) -> tuple[tuple[str, str], ...]:
    """VariableValue -> (variable GUID, the typed value as text)."""
    values: list[tuple[str, str]] = []
    for value in ctx.children(elem, "VariableValue"):
        ref = ctx.child(value, "VariableRef")
        guid = ref.get("targetGUID", "") if ref is not None else ""
        typed = [child for child in value if child is not ref]
        if guid:
            values.append((guid, (typed[0].text or "").strip() if typed else ""))
    return tuple(values)


@dataclass
class _Known:
    """The code and user GUIDs of the project, and the unknown users met in codings."""

    codes: set[str]
    users: set[str]
    unknown_users: Counter[str] = field(default_factory=Counter)

    def user(self, guid: str) -> str:
        if guid and guid not in self.users:
            self.unknown_users[guid] += 1
        return guid


def _warn_unknown_users(ctx: _Ctx, known: _Known) -> None:
    if known.unknown_users:
        guids = ", ".join(sorted(known.unknown_users)[:5])
        ctx.warn("W406", count=sum(known.unknown_users.values()), users=guids)


# --------------------------------------------------------------------------------------------
# Sources


def _source(ctx: _Ctx, files: _Files, elem: Element, known: _Known) -> RefiSource | None:
    """One child of <Sources>: a text source, the text representation of a PDF, or None (what
    is not text is counted as lost)."""
    namespace, kind = _split_tag(elem.tag)
    if namespace != ctx.ns:
        return None  # a vendor extension: not ours to interpret
    if kind == "TextSource":
        return _text_source(ctx, files, elem, elem, known)
    if kind == "PDFSource":
        ctx.lose("PDFSelection(s) (areas of PDF pages)", len(ctx.children(elem, "PDFSelection")))
        representation = ctx.child(elem, "Representation")
        if representation is None:
            ctx.lose("PDFSource(s) without a text representation")
            return None
        # The text representation is a TextSource: its selections are offsets.
        return _text_source(ctx, files, elem, representation, known)
    ctx.lose(f"{kind}(s)")
    return None


def _text_source(
    ctx: _Ctx, files: _Files, outer: Element, inner: Element, known: _Known
) -> RefiSource:
    """A source from ``outer`` (a TextSource or PDFSource: identity, values) and ``inner`` (the
    element holding the text and the selections: itself, or a PDF's Representation)."""
    guid = _required(ctx, outer, "guid")
    # Some exporters (qc) leave out the name: fall back on the text file name, then the GUID.
    ref = inner.get("plainTextPath", "")
    name = outer.get("name") or ref.rpartition("/")[2] or guid
    text = _source_text(ctx, files, inner, name)
    _warn_normalised_line_breaks(ctx, inner, text, name)
    ctx.lose("Coding(s) of whole sources", len(ctx.children(inner, "Coding")))
    return RefiSource(
        guid=guid,
        name=name,
        text=text,
        selections=_selections(ctx, inner, text, name, known),
        values=_values(ctx, outer),
        user_guid=known.user(outer.get("creatingUser", "")),
        description=ctx.text(outer, "Description"),
    )


def _warn_normalised_line_breaks(ctx: _Ctx, elem: Element, text: str, name: str) -> None:
    """W407 when an inline PlainTextContent with selections has line breaks that may have been
    CR LF (or CR) before XML parsing turned them into LF: an exporter that counted the CR
    characters made offsets that are now one too far per earlier line break. Only when the
    project file holds a CR byte at all (no CR byte: nothing was normalised; a CR written as
    ``&#13;`` is kept by the parser, and so are its offsets)."""
    content = ctx.child(elem, "PlainTextContent")
    if (
        ctx.raw_has_cr()
        and content is not None
        and content.text == text
        and "\n" in text
        and ctx.children(elem, "PlainTextSelection")
    ):
        ctx.warn("W407", source=name, count=text.count("\n"))


def _source_text(ctx: _Ctx, files: _Files, elem: Element, name: str) -> str:
    """The plain text; the rich text .docx when the plain text is empty (NVivo for Mac exports a
    1-byte .txt beside the .docx); the (empty) plain text, with W404, if neither has text."""
    text, why = _plain_text(ctx, files, elem, name)
    if text.strip():
        return text
    why = why or "its plain text is empty"
    rich = elem.get("richTextPath", "")
    if rich.lower().endswith(".docx"):
        rich_text, rich_why = _rich_text(files, rich)
        if rich_text.strip():
            ctx.warn("W403", source=name, path=rich)
            return rich_text
        why += f" and its rich text {rich} {rich_why or 'has no text either'}"
    ctx.warn("W404", source=name, detail=why)
    return text


def _plain_text(ctx: _Ctx, files: _Files, elem: Element, name: str) -> tuple[str, str]:
    """The plain text (inline or from its file), and why it is missing ("" if it is not)."""
    content = ctx.child(elem, "PlainTextContent")
    if content is not None:
        return content.text or "", ""
    ref = elem.get("plainTextPath", "")
    if not ref:
        return "", "it has neither PlainTextContent nor a plainTextPath"
    data, why = files.fetch(ref, ".txt")
    if data is None:
        return "", f"its plain text is missing: {why}"
    return _decode(ctx, data, name), ""


def _decode(ctx: _Ctx, data: bytes, name: str) -> str:
    # A leading UTF-8 BOM is dropped: Windows tools (.NET readers) and Python's utf-8-sig drop it
    # before counting characters, so offsets count from the first character after it.
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        # Not UTF-8: most likely a Windows single-byte text. Read it as cp1252, one character per
        # byte (the 5 bytes cp1252 leaves undefined become one U+FFFD each), so that offsets
        # counted by a tool that read it the same way stay exact. A UTF-8 "replace" decoding
        # would not: it turns some runs of bad bytes into a single U+FFFD and shifts every later
        # offset.
        ctx.warn("W405", source=name, offset=error.start)
        return data.decode("cp1252", errors="replace")


def _rich_text(files: _Files, ref: str) -> tuple[str, str]:
    """The paragraphs of a .docx joined with "\\n" ("" and why if there are none)."""
    data, why = files.fetch(ref, ".docx")
    if data is None:
        return "", f"is missing: {why}"
    # The docx is a zip too: read it once under our limits before python-docx (which trusts it)
    # opens it. A hostile docx (safezip.Refused, E402) stops everything; a merely broken one is
    # only a warning.
    try:
        with safezip.SafeZip(io.BytesIO(data), f"the rich text {ref}") as inner:
            inner.check_all()
    except safezip.Unreadable:
        return "", "is not a readable .docx"
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds on a bad file; none is fatal here
        return "", f"cannot be read ({safezip.describe(error)})"
    return "\n".join(paragraph.text for paragraph in document.paragraphs), ""


# --------------------------------------------------------------------------------------------
# Selections and codings


@dataclass
class _Dropped:
    """Selections or codings dropped in one source, by reason, with the first example."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    examples: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, what: str, reason: str, example: str) -> None:
        self.counts[(what, reason)] += 1
        self.examples.setdefault((what, reason), example)

    def warn(self, ctx: _Ctx, source: str) -> None:
        for (what, reason), count in self.counts.items():
            example = self.examples[(what, reason)]
            ctx.warn(
                "W402",
                source=source,
                count=count,
                what=what,
                detail=f"{reason} (first: {example})",
                advice=_DROP_ADVICE[what],
            )


_DROP_ADVICE = {
    "selection(s)": "the export does not match its source text: export the project again",
    "coding(s)": "the codebook of the export is incomplete: export the project again",
}


def _selections(
    ctx: _Ctx, elem: Element, text: str, source: str, known: _Known
) -> tuple[RefiSelection, ...]:
    dropped = _Dropped()
    kept: list[RefiSelection] = []
    for selection in ctx.children(elem, "PlainTextSelection"):
        found = _selection(ctx, selection, len(text), known, dropped)
        if found is not None:
            kept.append(found)
    dropped.warn(ctx, source)
    return tuple(kept)


def _selection(
    ctx: _Ctx, elem: Element, length: int, known: _Known, dropped: _Dropped
) -> RefiSelection | None:
    guid = elem.get("guid", "")
    start, end = _integer(elem.get("startPosition")), _integer(elem.get("endPosition"))
    example = f"{guid!r} at [{elem.get('startPosition')}, {elem.get('endPosition')})"
    if start is None or end is None:
        dropped.add("selection(s)", "startPosition or endPosition is not an integer", example)
        return None
    if start > end:
        dropped.add("selection(s)", "it starts after it ends", example)
        return None
    if start < 0 or end > length:
        dropped.add("selection(s)", f"outside the text of {length} characters", example)
        return None
    return RefiSelection(
        guid=guid,
        start=start,
        end=end,
        name=elem.get("name", ""),
        user_guid=known.user(elem.get("creatingUser", "")),
        codings=_codings(ctx, elem, known, dropped),
        description=ctx.text(elem, "Description"),
    )


def _codings(ctx: _Ctx, elem: Element, known: _Known, dropped: _Dropped) -> tuple[RefiCoding, ...]:
    kept: list[RefiCoding] = []
    for coding in ctx.children(elem, "Coding"):
        ref = ctx.child(coding, "CodeRef")
        code = ref.get("targetGUID", "") if ref is not None else ""
        if code not in known.codes:
            dropped.add("coding(s)", "its code is not in the codebook", f"code {code!r}")
            continue
        user = known.user(coding.get("creatingUser", ""))
        kept.append(RefiCoding(guid=coding.get("guid", ""), code_guid=code, user_guid=user))
    return tuple(kept)


# --------------------------------------------------------------------------------------------
# Errors


def _e401(where: Location, detail: str, advice: str) -> ResdiscourseError:
    return ResdiscourseError.of("E401", where, detail=detail, advice=advice)


def _e402(where: Location, detail: str) -> ResdiscourseError:
    return ResdiscourseError.of("E402", where, detail=detail)


def _e403(where: Location, part: str, detail: str) -> ResdiscourseError:
    return ResdiscourseError.of("E403", where, part=part, detail=detail)
