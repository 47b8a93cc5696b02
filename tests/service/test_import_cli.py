"""`rencai import` / `rencai export` as a user runs them: exit codes 0/1/2, a report
file, and never a traceback for bad input."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner, Result

from models import Site, Talent

TEMPLATES = Path(__file__).resolve().parents[2] / "seed" / "templates"
DATA = Path(__file__).parent / "data"
MB = 1024 * 1024
Invoke = Callable[..., Result]


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from models.db import make_engine
    from models.migrate import upgrade
    from seed.load import load_reference

    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'rencai.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_reference(session=session)
        session.commit()
    engine.dispose()
    yield url


@pytest.fixture
def run(cli_db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Invoke:
    from service.cli import app

    monkeypatch.setenv("RENCAI_DATABASE_URL", cli_db)
    monkeypatch.setenv("RENCAI_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("RENCAI_MAX_UPLOAD_BYTES", str(20 * MB))
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        result = runner.invoke(app, list(args))
        assert "Traceback" not in result.output, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.exception
        )
        return result

    return invoke


def _count(url: str, model: type[Site] | type[Talent]) -> int:
    from models.db import make_engine

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)
    finally:
        engine.dispose()


def test_import_templates_then_reimport(run: Invoke, cli_db: str) -> None:
    for kind in ("sites", "needs", "talents"):
        result = run("import", kind, str(TEMPLATES / f"{kind}.xlsx"))
        assert result.exit_code == 0, result.output
    talents = _count(cli_db, Talent)
    again = run("import", "talents", str(TEMPLATES / "talents.csv"))
    assert again.exit_code == 0
    assert "0 created, 0 updated, 2 unchanged" in again.output
    assert _count(cli_db, Talent) == talents


def test_broken_file_exits_1_with_a_report(run: Invoke, cli_db: str, tmp_path: Path) -> None:
    before = _count(cli_db, Site)
    report = tmp_path / "out" / "report.csv"
    result = run("import", "sites", str(DATA / "sites_partly_broken.csv"), "--report", str(report))
    assert result.exit_code == 1
    assert "row 3 (D3) [县市(county)] '不存在县'" in result.output
    assert "nothing was imported" in result.output
    assert _count(cli_db, Site) == before
    with report.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert {(r["row"], r["column"], r["value"]) for r in lines} >= {
        ("3", "县市(county)", "不存在县"),
        ("4", "纬度(lat)", "99.5"),
    }


def test_dry_run_saves_nothing(run: Invoke, cli_db: str) -> None:
    before = _count(cli_db, Talent)
    result = run("import", "talents", str(DATA / "talents_ok.csv"), "--dry-run")
    assert result.exit_code == 0 and "dry run" in result.output
    assert _count(cli_db, Talent) == before


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "empty"),
        ("编号,名称\n".encode(), "header row but no data"),
        (b'a,b\n"x,y\n', "malformed CSV"),
        (b"a,b\n" + bytes(range(0x80, 0x100)) * 3, "encoding"),
    ],
    ids=["empty", "header-only", "malformed", "undecodable"],
)
def test_unreadable_files_exit_2(run: Invoke, tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    result = run("import", "sites", str(path))
    assert result.exit_code == 2
    assert needle in result.output


def test_a_50_mb_file_is_refused(run: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("wb") as handle:
        handle.write(b"external_id,name\n")
        handle.truncate(50 * MB)
    result = run("import", "talents", str(path))
    assert result.exit_code == 2
    assert "50.0 MB" in result.output and "import limit" in result.output


def test_missing_file_exits_2(run: Invoke, tmp_path: Path) -> None:
    result = run("import", "sites", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2
    assert "cannot open" in result.output


def test_gbk_file_via_cli(run: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes((DATA / "talents_ok.csv").read_text(encoding="utf-8").encode("gbk"))
    result = run("import", "talents", str(path))
    assert result.exit_code == 0, result.output
    assert "gbk" in result.output


def test_export_csv_to_stdout_and_xlsx_to_file(run: Invoke, tmp_path: Path) -> None:
    assert run("import", "sites", str(TEMPLATES / "sites.csv")).exit_code == 0
    assert run("import", "talents", str(DATA / "talents_ok.csv")).exit_code == 0
    out = run("export", "talents")
    assert out.exit_code == 0
    assert out.output.startswith("编号(external_id),姓名(name)")
    assert "13800000001" not in out.output
    with_contacts = run("export", "talents", "--include-contacts")
    assert "13800000001" in with_contacts.output
    target = tmp_path / "talents.xlsx"
    result = run("export", "talents", "--format", "xlsx", "--out", str(target))
    assert result.exit_code == 0 and target.exists()
    back = run("import", "talents", str(target))
    assert back.exit_code == 0 and " 0 created, 0 updated" in back.output
    assert run("export", "matches", "--format", "xlsx").exit_code == 2
    assert run("export", "matches").exit_code == 0
