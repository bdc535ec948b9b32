"""A REFI-QDA project as coders: each user who coded something is one.

A source is placed in the reference by :meth:`SideContext.match`, or, when it is named
``doc_id:start-end`` and holds exactly that slice of our text, as an *excerpt* (as `resdiscourse
sample` writes them): the coder then looked at that slice only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from resdiscourse.compare.align import Alignment, align
from resdiscourse.compare.intervals import Interval, merge
from resdiscourse.compare.matching import SideContext, source_id, source_stem
from resdiscourse.compare.units import UNIT_ID, Coder, side_label
from resdiscourse.export.refi_model import RefiCoding, RefiProject, RefiSelection, RefiSource

#: An excerpt source whose text a tool changed (line ends, spaces, quotes) still counts as the
#: excerpt when at least this share of its word characters aligns with the slice it names.
EXCERPT_ALIGNED = 0.9


@dataclass(frozen=True)
class _Place:
    doc_id: str
    excerpt: Interval | None  # None: the whole document
    #: For an excerpt whose text differs from our slice: their offsets onto the slice.
    alignment: Alignment | None = None


def refi_coders(context: SideContext, path: Path, project: RefiProject) -> list[Coder]:
    label = side_label(path)
    users = _user_names(project)
    active = _users_who_coded(project)
    # A user asked for by name is compared even with no coding; otherwise those who coded.
    asked = [users[guid] for guid in users if users[guid] in context.wanted]
    active_names = [users[guid] for guid in users if guid in active] or list(users.values())
    chosen = asked or active_names
    idle = sorted(name for name in users.values() if name not in chosen and name not in asked)
    idle = [name for name in idle if name not in active_names]
    if idle:
        context.warn("W435", label, count=len(idle), names=", ".join(idle))
    coders = {guid: Coder(users[guid], label) for guid in users if users[guid] in chosen}
    reader = _ProjectReader(context, label, project, coders)
    for source in project.sources:
        reader.read_source(source)
    reader.finish()
    return list(coders.values())


def _user_names(project: RefiProject) -> dict[str, str]:
    """User GUID -> a display name (the GUID when the user has no name); "(unknown)" stands for
    codings that name no user in a project without users."""
    names = {user.guid: user.name or user.guid for user in project.users}
    return names or {"": "(unknown)"}


def _users_who_coded(project: RefiProject) -> set[str]:
    return {
        _coding_user(project, selection, coding)
        for source in project.sources
        for selection in source.selections
        for coding in selection.codings
    }


def _coding_user(project: RefiProject, selection: RefiSelection, coding: RefiCoding) -> str:
    """The coding's user, else the selection's, else the project's creating user, else its only
    user (creatingUser is optional in the schema)."""
    found = coding.user_guid or selection.user_guid or project.creating_user
    if not found and len(project.users) == 1:
        found = project.users[0].guid
    return found


class _ProjectReader:
    def __init__(
        self, context: SideContext, label: str, project: RefiProject, coders: dict[str, Coder]
    ) -> None:
        self.context, self.label, self.project, self.coders = context, label, project, coders
        self.code_paths = project.codebook.paths()
        self.code_names = {guid: code.name for guid, code in project.codebook.by_guid().items()}
        self.spans: defaultdict[tuple[str, tuple[str, str]], list[Interval]] = defaultdict(list)
        self.unmatched: set[str] = set()
        self.left_out = 0
        self.nobody = 0
        self.sources_per_document: defaultdict[str, int] = defaultdict(int)

    def read_source(self, source: RefiSource) -> None:
        if not source.text:  # its file is missing: the coder's work there cannot be seen
            self.context.warn("W437", self.label, source=source.name)
            return
        place = self._place(source)
        if place is None:
            return
        if place.excerpt is None:
            self.sources_per_document[place.doc_id] += 1
        for coder in self.coders.values():
            coder.documents.add(place.doc_id)
            if place.excerpt is not None:
                coder.partial.setdefault(place.doc_id, []).append(place.excerpt)
        for selection in source.selections:
            for coding in selection.codings:
                self._read_coding(source, place, selection, coding)

    def _read_coding(
        self, source: RefiSource, place: _Place, selection: RefiSelection, coding: RefiCoding
    ) -> None:
        user = _coding_user(self.project, selection, coding)
        if user not in self.coders:
            self.nobody += user not in _user_names(self.project)
            return
        names = (
            self.code_paths.get(coding.code_guid, ""),
            self.code_names.get(coding.code_guid, ""),
        )
        code = self.context.reference.codes.match(*names)
        if code is None:
            self.unmatched.add(names[0] or coding.code_guid)
            return
        mapped = self._selection(source, place, selection)
        if mapped is None:
            self.left_out += 1
            return
        self.spans[(user, (place.doc_id, code))].append(mapped)

    def _place(self, source: RefiSource) -> _Place | None:
        """An excerpt when named ``doc_id:start-end`` and holding that slice of ours (exactly, or
        aligned for the most part when a tool changed its spacing); else the document it
        matches."""
        unit = UNIT_ID.fullmatch(source_stem(source.name))
        texts = self.context.reference.texts
        if unit is not None and unit["doc"] in texts:
            start, end = int(unit["start"]), int(unit["end"])
            ours = texts[unit["doc"]][start:end]
            alignment = None if ours == source.text else align(source.text, ours)
            if end > start and (alignment is None or alignment.share >= EXCERPT_ALIGNED):
                self.context.reference.excerpt(f"{unit['doc']}:{start}-{end}")
                if alignment is not None:
                    share = f"{alignment.share:.1%}"
                    self.context.warn("W432", self.label, doc_id=source.name, share=share)
                return _Place(unit["doc"], (start, end), alignment)
        stem = source_stem(source.name)
        doc_id = self.context.match(self.label, source_id(source.name), stem, source.text)
        return None if doc_id is None else _Place(doc_id, None)

    def _selection(
        self, source: RefiSource, place: _Place, selection: RefiSelection
    ) -> Interval | None:
        start, end = selection.start, selection.end
        if place.excerpt is None:
            return self.context.map_span(self.label, place.doc_id, source.text, start, end)
        if not 0 <= start < end <= len(source.text):
            return None
        if place.alignment is not None:
            mapped = place.alignment.map_span(start, end)
            if mapped is None:
                return None
            start, end = mapped
        return place.excerpt[0] + start, place.excerpt[0] + end

    def finish(self) -> None:
        for (user, key), intervals in self.spans.items():
            self.coders[user].spans[key] = merge(intervals)
        for coder in self.coders.values():
            coder.partial = {doc: merge(parts) for doc, parts in coder.partial.items()}
        for doc_id, count in sorted(self.sources_per_document.items()):
            if count > 1:
                self.context.warn("W434", self.label, count=count, doc_id=doc_id)
        self.context.report_codes(self.label, self.unmatched)
        detail = "their selections aligned with none of our text"
        self.context.report_left_out(self.label, self.left_out, detail)
        detail = "they name a user who is not in the project"
        self.context.report_left_out(self.label, self.nobody, detail)
