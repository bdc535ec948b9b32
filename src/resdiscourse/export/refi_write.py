"""Write REFI-QDA 1.5 files: a ``.qdpx`` project (a zip of ``project.qde`` and ``sources/``) and a
``.qdc`` codebook, both validated against the official schemas before they are written.

The output is byte-identical on a re-run: no dates in the XML, fixed zip metadata.
Each source text is stored exactly as given (UTF-8, no BOM, no newline translation), because
selection offsets are code points into it (REFI-QDA §10.2, 0-based, end exclusive).
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import uuid
import zipfile
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import IO, Protocol, cast

from lxml import etree

from resdiscourse.errors import ResdiscourseError
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
from resdiscourse.ingest.outputs import write_atomic
from resdiscourse.version import package_version

#: The uuid5 namespace of every GUID we derive (fixed forever: GUIDs must not change between
#: versions, or a re-export would look like a new project to the importing software).
GUID_NAMESPACE = uuid.UUID("6f1d3c2e-8a4b-5e7f-9c0d-2b3a4c5d6e7f")
PROJECT_SCHEMA = "Project-mrt2019.xsd"
CODEBOOK_SCHEMA = "Codebook.xsd"
#: The date of every zip entry: the earliest a zip can hold, so the bytes never depend on the clock.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_ZIP_MODE = 0o100644  # a regular file, rw-r--r--
_UNIX = 3  # zip "made by" system: fixed, or the bytes would differ between Windows and Unix
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
#: What XML 1.0 cannot hold (§2.2 Char): C0 controls but tab/LF/CR, surrogates, U+FFFE, U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_VALUE_TAGS = {
    "Text": "TextValue",
    "Boolean": "BooleanValue",
    "Integer": "IntegerValue",
    "Float": "FloatValue",
    "Date": "DateValue",
    "DateTime": "DateTimeValue",
}


def stable_guid(*parts: str) -> str:
    """A GUID that depends only on ``parts``: uuid5 of their JSON list (an encoding in which no
    two different tuples meet, whatever characters the parts hold), upper case as NVivo and
    ATLAS.ti write them."""
    return str(uuid.uuid5(GUID_NAMESPACE, json.dumps(list(parts), ensure_ascii=False))).upper()


def default_origin() -> str:
    return f"resdiscourse {package_version()}"


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (for names, descriptions, values)."""
    return _NOT_XML.sub("", text)


# --- validation -------------------------------------------------------------------------------


class _LogEntry(Protocol):
    line: int
    message: str


@functools.cache
def _schema(name: str) -> etree.XMLSchema:
    data = (resources.files("resdiscourse") / "export" / "schemas" / name).read_bytes()
    return etree.XMLSchema(etree.fromstring(data))


def _validate(data: bytes, schema_name: str) -> list[str]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        return [f"not well-formed XML: {error}"]
    schema = _schema(schema_name)
    if schema.validate(root):
        return []
    entries = cast("Iterable[_LogEntry]", schema.error_log)  # lxml-stubs: not iterable
    return [f"line {entry.line}: {entry.message}" for entry in entries]


def validate_project_xml(data: bytes) -> list[str]:
    """The schema errors of a ``project.qde`` (REFI-QDA Project schema); empty when valid."""
    return _validate(data, PROJECT_SCHEMA)


def validate_codebook_xml(data: bytes) -> list[str]:
    """The schema errors of a ``.qdc`` (REFI-QDA Codebook schema); empty when valid."""
    return _validate(data, CODEBOOK_SCHEMA)


def _internal_error(kind: str, detail: str) -> ResdiscourseError:
    return ResdiscourseError.of("E420", kind=kind, detail=detail)


def _checked(data: bytes, kind: str, errors: list[str]) -> bytes:
    """``data`` if it validated; what we build must always validate, so failing is a bug."""
    if errors:
        raise _internal_error(kind, "; ".join(errors[:5]))
    return data


# --- building elements ------------------------------------------------------------------------


class _Builder:
    """Makes elements in one namespace, with attributes in the order given."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace

    def root(self, tag: str) -> etree._Element:
        # The None prefix is lxml's default namespace; lxml-stubs do not know it.
        nsmap = {None: self.namespace}
        return etree.Element(f"{{{self.namespace}}}{tag}", nsmap=nsmap)  # type: ignore[arg-type]

    def child(
        self, parent: etree._Element, tag: str, attributes: Mapping[str, str | None] | None = None
    ) -> etree._Element:
        """A child element; an attribute whose value is None is left out."""
        element = etree.SubElement(parent, f"{{{self.namespace}}}{tag}")
        for key, value in (attributes or {}).items():
            if value is not None:
                element.set(key, value)
        return element

    def description(self, parent: etree._Element, text: str) -> None:
        if text:
            self.child(parent, "Description").text = xml_safe(text)


def _serialise(root: etree._Element) -> bytes:
    # lxml writes its declaration with single quotes; some importers expect the usual form.
    return _DECLARATION + etree.tostring(root, encoding="UTF-8", pretty_print=True)


def _optional(value: str) -> str | None:
    """An optional attribute is left out rather than written empty (which would not be a GUID)."""
    return value or None


def _add_code(build: _Builder, parent: etree._Element, code: RefiCode) -> None:
    attributes = {
        "guid": code.guid,
        "name": xml_safe(code.name),
        "isCodable": "true" if code.is_codable else "false",
        "color": _optional(code.color),
    }
    element = build.child(parent, "Code", attributes)
    build.description(element, code.description)
    for child in code.children:
        _add_code(build, element, child)


def _add_codes(build: _Builder, parent: etree._Element, codes: tuple[RefiCode, ...]) -> None:
    container = build.child(parent, "Codes")
    for code in codes:
        _add_code(build, container, code)


def _add_sets(build: _Builder, parent: etree._Element, sets: tuple[RefiSet, ...], ref: str) -> None:
    """``ref`` is how a member names its code: ``guid`` in a codebook, ``targetGUID`` in a
    project (the two schemas differ here)."""
    container = build.child(parent, "Sets")
    for code_set in sets:
        attributes = {"guid": code_set.guid, "name": xml_safe(code_set.name)}
        element = build.child(container, "Set", attributes)
        build.description(element, code_set.description)
        for member in code_set.member_codes:
            build.child(element, "MemberCode", {ref: member})


# --- codebook ---------------------------------------------------------------------------------


def codebook_xml(codebook: RefiCodebook, origin: str = "") -> bytes:
    """The ``.qdc`` XML of ``codebook``; ``origin`` (the exporting software) defaults to the
    codebook's own, then to this resdiscourse version. Raises E420 if it does not validate."""
    build = _Builder(CODEBOOK_NAMESPACE)
    root = build.root("CodeBook")
    root.set("origin", xml_safe(origin or codebook.origin or default_origin()))
    _add_codes(build, root, codebook.codes)
    if codebook.sets:
        _add_sets(build, root, codebook.sets, "guid")
    data = _serialise(root)
    return _checked(data, "codebook", validate_codebook_xml(data))


def write_qdc(codebook: RefiCodebook, path: Path, origin: str = "") -> Path:
    """Write the ``.qdc`` codebook to ``path`` (atomically). Returns the path."""
    write_atomic(path, codebook_xml(codebook, origin))
    return path


# --- project ----------------------------------------------------------------------------------


def source_path(source: RefiSource) -> str:
    """Where ``source``'s plain text lives inside the ``.qdpx`` (REFI-QDA §8.3)."""
    return f"sources/{source.guid}.txt"


def project_xml(project: RefiProject) -> bytes:
    """The ``project.qde`` XML of ``project``. Raises E420 if it does not validate, or if a
    selection or a variable value does not fit its source or variable."""
    build = _Builder(PROJECT_NAMESPACE)
    root = build.root("Project")
    root.set("name", xml_safe(project.name))
    root.set("origin", xml_safe(project.origin or default_origin()))
    if project.creating_user:
        root.set("creatingUserGUID", project.creating_user)
    _add_users(build, root, project.users)
    if project.codebook.codes:
        _add_codes(build, build.child(root, "CodeBook"), project.codebook.codes)
    _add_variables(build, root, project.variables)
    _add_sources(build, root, project)
    if project.codebook.sets:
        _add_sets(build, root, project.codebook.sets, "targetGUID")
    data = _serialise(root)
    return _checked(data, "project", validate_project_xml(data))


def _add_users(build: _Builder, root: etree._Element, users: tuple[RefiUser, ...]) -> None:
    if not users:
        return
    container = build.child(root, "Users")
    for user in users:
        build.child(container, "User", {"guid": user.guid, "name": xml_safe(user.name)})


def _add_variables(
    build: _Builder, root: etree._Element, variables: tuple[RefiVariable, ...]
) -> None:
    if not variables:
        return
    container = build.child(root, "Variables")
    for variable in variables:
        attributes = {
            "guid": variable.guid,
            "name": xml_safe(variable.name),
            "typeOfVariable": variable.type,
        }
        element = build.child(container, "Variable", attributes)
        build.description(element, variable.description)


def _add_sources(build: _Builder, root: etree._Element, project: RefiProject) -> None:
    if not project.sources:
        return
    container = build.child(root, "Sources")
    types = {variable.guid: variable.type for variable in project.variables}
    for source in project.sources:
        _add_source(build, container, source, types)


def _add_source(
    build: _Builder, parent: etree._Element, source: RefiSource, types: dict[str, str]
) -> None:
    element = build.child(
        parent,
        "TextSource",
        {
            "guid": source.guid,
            "name": xml_safe(source.name),
            "plainTextPath": f"internal://{source.guid}.txt",
            "creatingUser": _optional(source.user_guid),
        },
    )
    build.description(element, source.description)
    length = len(source.text)  # code points: what a Python str counts
    for selection in source.selections:
        _check_span(source, selection, length)
        _add_selection(build, element, selection)
    for variable_guid, value in source.values:
        _add_value(build, element, variable_guid, value, types)


def _check_span(source: RefiSource, selection: RefiSelection, length: int) -> None:
    if not 0 <= selection.start <= selection.end <= length:
        detail = (
            f"selection {selection.guid} [{selection.start}, {selection.end}) is outside "
            f"source {source.guid} ({length} code points)"
        )
        raise _internal_error("project", detail)


def _add_selection(build: _Builder, parent: etree._Element, selection: RefiSelection) -> None:
    element = build.child(
        parent,
        "PlainTextSelection",
        {
            "guid": selection.guid,
            "name": _optional(xml_safe(selection.name)),
            "startPosition": str(selection.start),
            "endPosition": str(selection.end),
            "creatingUser": _optional(selection.user_guid),
        },
    )
    build.description(element, selection.description)
    for coding in selection.codings:
        _add_coding(build, element, coding)


def _add_coding(build: _Builder, parent: etree._Element, coding: RefiCoding) -> None:
    element = build.child(
        parent, "Coding", {"guid": coding.guid, "creatingUser": _optional(coding.user_guid)}
    )
    build.child(element, "CodeRef", {"targetGUID": coding.code_guid})


def _add_value(
    build: _Builder,
    parent: etree._Element,
    variable_guid: str,
    value: str,
    types: dict[str, str],
) -> None:
    """A VariableValue typed as its variable; an empty non-text value is written as no value
    (the schema allows a VariableRef alone), since e.g. ``<IntegerValue/>`` is invalid."""
    if variable_guid not in types:
        raise _internal_error("project", f"a value for the unknown variable {variable_guid}")
    kind = types[variable_guid]
    element = build.child(parent, "VariableValue")
    build.child(element, "VariableRef", {"targetGUID": variable_guid})
    text = _typed_value(kind, value)
    if kind == "Text" or text:
        build.child(element, _VALUE_TAGS.get(kind, "TextValue")).text = text


def _typed_value(kind: str, value: str) -> str:
    """``value`` in the lexical form of its XSD type, where our text form differs."""
    if kind == "Text":
        return xml_safe(value)
    text = xml_safe(value).strip()
    if kind == "Boolean":
        return text.lower()  # Python's "True"/"False" are not xsd:boolean
    if kind == "Float":
        return _decimal(text)
    return text


def _decimal(text: str) -> str:
    """xsd:decimal has no exponent: ``1e-05`` becomes ``0.00001`` (bad input is left as it is,
    for the schema check to report)."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    return format(number, "f") if number.is_finite() else text


# --- the .qdpx zip ----------------------------------------------------------------------------


def qdpx_bytes(project: RefiProject) -> bytes:
    """The ``.qdpx`` zip: ``project.qde`` and ``sources/<guid>.txt`` (exactly each source's text,
    UTF-8 without BOM), entries sorted, fixed dates and permissions."""
    buffer = io.BytesIO()
    _write_zip(project, buffer)
    return buffer.getvalue()


def _write_zip(project: RefiProject, target: IO[bytes]) -> None:
    """The zip of :func:`qdpx_bytes` into ``target``, one source at a time: no more than one
    source text is held encoded (beside the compressed output when ``target`` is in memory)."""
    sources: dict[str, RefiSource] = {}
    for source in project.sources:
        name = source_path(source)
        if name in sources:
            raise _internal_error("project", f"two sources share the GUID {source.guid}")
        sources[name] = source
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_zip_info("project.qde"), project_xml(project))  # sorts first
        for name in sorted(sources):
            archive.writestr(_zip_info(name), _source_bytes(sources[name]))


def _source_bytes(source: RefiSource) -> bytes:
    # str.encode never translates newlines: "\r\n" and "\r" stay as they are, offsets hold.
    try:
        return source.text.encode("utf-8")
    except UnicodeEncodeError as error:  # a lone surrogate: not text, a bug upstream
        raise _internal_error("project", f"source {source.guid}: {error}") from error


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = _UNIX
    info.external_attr = _ZIP_MODE << 16
    return info


def write_qdpx(project: RefiProject, path: Path) -> Path:
    """Write the ``.qdpx`` project to ``path`` (atomically: a temporary file beside it, then
    renamed), streaming the zip to disk. Returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as handle:
            _write_zip(project, handle)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path
