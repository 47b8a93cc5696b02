"""The bulk path of the talent import (issue 16): new rows go in as multi-row INSERTs,
existing ones through the ORM, and the result is the same database either way: every
column, list and availability window, the counts, and the matching engine told."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from models import Talent
from service.engine import MatchingEngine, track_changes
from service.settings import Settings
from service.usecases.imports import import_file

HEADER = (
    "编号(external_id),姓名(name),人才类别(category),职称(title_level),学历(degree_level),"
    "技能领域(skills),个人简介(bio),籍贯县市(home_county),服务方式(modes),"
    "可服务时段(windows),是否在库(active)"
)


def _row(external_id: str, name: str, windows: str = "2025-03-01~2025-06-30") -> str:
    return (
        f"{external_id},{name},全科医生,中级,本科,全科医学；农村卫生,"
        f"擅长慢病管理和基层带教。,双柏县,挂职；远程,{windows},是"
    )


def _talents(session: Session, prefix: str) -> dict[str, Talent]:
    stmt = (
        select(Talent)
        .where(Talent.external_id.like(f"{prefix}%"))
        .options(selectinload(Talent.windows))
    )
    return {t.external_id: t for t in session.scalars(stmt)}


def test_new_rows_are_written_whole_with_their_windows(session: Session, tmp_path: Path) -> None:
    rows = [
        _row(f"BULK-{i:04d}", f"李{i}", "2025-03-01~2025-06-30;2025-09-01~2025-12-31")
        for i in range(1200)
    ]
    path = tmp_path / "talents.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")

    result = import_file("talents", path, session=session)

    assert result.ok and result.created == 1200, [e.line() for e in result.errors]
    stored = _talents(session, "BULK-")
    assert len(stored) == 1200
    talent = stored["BULK-0007"]
    assert talent.name == "李7" and talent.category == "general_practitioner"
    assert sorted(code.rsplit(".", 1)[-1] for code in talent.skills) == [
        "general_practice",
        "rural_health",
    ]
    assert talent.modes and talent.home_county_code == "532322"
    assert talent.created_at is not None and talent.updated_at is not None
    assert [(w.start_date.isoformat(), w.end_date.isoformat()) for w in talent.windows] == [
        ("2025-03-01", "2025-06-30"),
        ("2025-09-01", "2025-12-31"),
    ]
    # The ids read back after the INSERT belong to the right rows: every talent's windows.
    assert all(len(t.windows) == 2 for t in stored.values())


def test_a_file_of_new_and_existing_rows_counts_each(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "talents.csv"
    path.write_text("\n".join([HEADER, _row("MIX-1", "张一"), _row("MIX-2", "张二")]) + "\n")
    assert import_file("talents", path, session=session).created == 2

    path.write_text(
        "\n".join([HEADER, _row("MIX-1", "张一"), _row("MIX-2", "张二改"), _row("MIX-3", "张三")])
        + "\n"
    )
    result = import_file("talents", path, session=session)

    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    stored = _talents(session, "MIX-")
    assert stored["MIX-2"].name == "张二改" and len(stored["MIX-3"].windows) == 1


def test_the_matching_engine_hears_of_imported_talents(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    engine = MatchingEngine(Settings())
    track_changes(session_factory, engine)
    asked = engine._wanted  # rounds of changes the engine was asked to apply
    path = tmp_path / "talents.csv"
    path.write_text("\n".join([HEADER, _row("HEARD-1", "王一")]) + "\n")

    with session_factory() as session:
        assert import_file("talents", path, session=session).created == 1

    assert engine._wanted == asked + 1  # the import asked for one more round
    engine.close()
