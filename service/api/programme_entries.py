"""The ledger of targets not counted from matches: enter, decide, correct, attach
evidence, read."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, UploadFile
from fastapi.responses import Response
from starlette.datastructures import UploadFile as StarletteUploadFile

from models import ProgrammeEntry
from models.schemas.programme_entry import (
    EntryCorrection,
    EntryCreate,
    EntryPage,
    EntryRead,
    EntryReturn,
    EvidenceRead,
)
from service.api.params import PathId
from service.auth import ActorDep
from service.deps import SessionDep, SettingsDep
from service.usecases import programme_entries as entries

router = APIRouter(tags=["programme entries"])

EVIDENCE_ROUTE = "/api/v1/programme-entries/{id}/evidence"


def entry_read(entry: ProgrammeEntry) -> EntryRead:
    hand = entries.hand_counted_targets().get(entry.target_key)
    proof = None
    if entry.evidence_sha256:
        proof = EvidenceRead(
            filename=entry.evidence_filename or "evidence",
            media_type=entry.evidence_media_type or "application/octet-stream",
            bytes=entry.evidence_bytes or 0,
            sha256=entry.evidence_sha256,
            url=f"/api/v1/programme-entries/{entry.id}/evidence",
        )
    return EntryRead(
        id=entry.id,
        target=entry.target_key,
        target_text=hand.text if hand else entry.target_key,
        unit=hand.unit if hand else None,
        programme_code=entry.programme_code,
        county_code=entry.county_code,
        year=entry.year,
        value=entry.value,
        note=entry.note,
        status=entry.status,
        reverses=entry.reverses,
        entered_by=entry.entered_by,
        decided_by=entry.decided_by,
        decided_at=entry.decided_at,
        return_reason=entry.return_reason,
        evidence=proof,
        created_at=entry.created_at,
    )


@router.post("/programmes/{code}/entries", response_model=EntryRead, status_code=201)
def submit_entry(
    code: str,
    body: EntryCreate,
    actor: ActorDep,
    session: SessionDep,
    settings: SettingsDep,
) -> EntryRead:
    """Enter a county's figure for a target counted by hand (人工统计)."""
    entry = entries.submit(
        session=session,
        actor=actor,
        programme_code=code,
        target=body.target,
        county_code=body.county_code,
        year=body.year,
        value=body.value,
        note=body.note,
        plan_years=settings.plan_years,
    )
    return entry_read(entry)


@router.get("/programme-entries", response_model=EntryPage)
def list_entries(
    actor: ActorDep,
    session: SessionDep,
    status: Literal["submitted", "approved", "returned"] | None = None,
    county: Annotated[str | None, Query(max_length=12)] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> EntryPage:
    rows, total = entries.list_(
        session=session,
        actor=actor,
        status=status,
        county=county,
        year=year,
        offset=offset,
        limit=limit,
        oldest_first=status == "submitted",
    )
    return EntryPage(items=[entry_read(e) for e in rows], total=total, offset=offset, limit=limit)


@router.get("/programme-entries/{entry_id}", response_model=EntryRead)
def get_entry(entry_id: PathId, actor: ActorDep, session: SessionDep) -> EntryRead:
    return entry_read(entries.get(session=session, actor=actor, entry_id=entry_id))


@router.post("/programme-entries/{entry_id}/approve", response_model=EntryRead)
def approve_entry(entry_id: PathId, actor: ActorDep, session: SessionDep) -> EntryRead:
    return entry_read(entries.approve(session=session, actor=actor, entry_id=entry_id))


@router.post("/programme-entries/{entry_id}/return", response_model=EntryRead)
def return_entry(
    entry_id: PathId, body: EntryReturn, actor: ActorDep, session: SessionDep
) -> EntryRead:
    entry = entries.return_(session=session, actor=actor, entry_id=entry_id, reason=body.reason)
    return entry_read(entry)


@router.post("/programme-entries/{entry_id}/resubmit", response_model=EntryRead)
def resubmit_entry(
    entry_id: PathId,
    body: EntryCorrection,
    actor: ActorDep,
    session: SessionDep,
    settings: SettingsDep,
) -> EntryRead:
    """The enterer corrects a returned entry and sends it again."""
    entry = entries.resubmit(
        session=session,
        actor=actor,
        entry_id=entry_id,
        value=body.value,
        note=body.note,
        plan_years=settings.plan_years,
    )
    return entry_read(entry)


@router.post("/programme-entries/{entry_id}/reverse", response_model=EntryRead, status_code=201)
def reverse_entry(
    entry_id: PathId, body: EntryCorrection, actor: ActorDep, session: SessionDep
) -> EntryRead:
    """Correct an approved entry: a reversing entry carrying the corrected figure, which
    replaces the reversed entry's figure once it is approved."""
    entry = entries.reverse(
        session=session, actor=actor, entry_id=entry_id, value=body.value, note=body.note
    )
    return entry_read(entry)


def read_limited(upload: StarletteUploadFile, max_bytes: int) -> bytes:
    """The upload's bytes, reading at most one byte past the limit."""
    return upload.file.read(max_bytes + 1)


@router.post("/programme-entries/{entry_id}/evidence", response_model=EntryRead)
def attach_evidence(
    entry_id: PathId,
    file: UploadFile,
    actor: ActorDep,
    session: SessionDep,
    settings: SettingsDep,
) -> EntryRead:
    """Attach a PDF, PNG, JPEG or XLSX (multipart field `file`); stored by content hash."""
    content = read_limited(file, settings.max_evidence_bytes)
    entry = entries.attach_evidence(
        session=session,
        actor=actor,
        entry_id=entry_id,
        content=content,
        filename=file.filename or "evidence",
        max_bytes=settings.max_evidence_bytes,
    )
    return entry_read(entry)


def evidence_response(
    entry: ProgrammeEntry, content: bytes, *, media_type: str | None = None
) -> Response:
    name = entry.evidence_filename or "evidence"
    return Response(
        content,
        media_type=media_type or entry.evidence_media_type or "application/octet-stream",
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
            "Cache-Control": "private, no-store",
        },
    )


@router.get(
    "/programme-entries/{entry_id}/evidence",
    response_class=Response,
    responses={
        200: {
            "description": "The evidence file as stored (PDF, PNG, JPEG or XLSX; its type is "
            "in the entry's `evidence.media_type`), sent as a download.",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    },
)
def download_evidence(
    entry_id: PathId, actor: ActorDep, session: SessionDep, settings: SettingsDep
) -> Response:
    entry, content = entries.evidence_of(
        session=session,
        actor=actor,
        entry_id=entry_id,
        evidence_dir=settings.data_dir / "evidence",
    )
    # One declared type for any file, so a generated client can read it; the entry says
    # what the file is.
    return evidence_response(entry, content, media_type="application/octet-stream")


__all__ = ["EVIDENCE_ROUTE", "entry_read", "evidence_response", "read_limited", "router"]
