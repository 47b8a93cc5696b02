"""Settings are declared, documented data: an undocumented one fails here."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from service.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_described_and_in_the_readme(name: str) -> None:
    field = Settings.model_fields[name]
    assert field.description, f"setting {name} has no description"
    assert f"`RENCAI_{name.upper()}`" in README.read_text(encoding="utf-8"), (
        f"RENCAI_{name.upper()} is missing from the README's settings table"
    )


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RENCAI_FAISS_FACTORY", "HNSW32")
    monkeypatch.setenv("RENCAI_MATCHING", '{"weights": {"semantic": 2}}')
    settings = Settings()
    config = settings.matching_config()
    assert config.index_factory == "HNSW32"
    assert config.weight("semantic") == 2


def test_unknown_matching_option_names_the_key() -> None:
    with pytest.raises(ValidationError, match="bogus"):
        Settings(matching={"bogus": 1})


def test_sqlite_default_lives_in_the_data_dir(tmp_path: Path) -> None:
    assert Settings(data_dir=tmp_path).resolved_database_url == f"sqlite:///{tmp_path}/rencai.db"


def test_embeddings_live_in_the_database_on_postgresql_unless_told_otherwise(
    tmp_path: Path,
) -> None:
    pg = "postgresql+psycopg://rencai@127.0.0.1:5432/rencai"
    assert Settings(database_url=pg, data_dir=tmp_path).shares_embeddings
    assert not Settings(data_dir=tmp_path).shares_embeddings
    assert Settings(data_dir=tmp_path, embeddings_in_database=True).shares_embeddings
    assert not Settings(
        database_url=pg, data_dir=tmp_path, embeddings_in_database=False
    ).shares_embeddings
