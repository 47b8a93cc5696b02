"""``make bench`` runs every benchmark: each module has a modest size in the runner."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from benchmarks.__main__ import MODEST, discovered, main


def test_every_benchmark_has_a_modest_size() -> None:
    assert discovered() == sorted(MODEST)
    assert "bench_matching" in discovered()


def test_modest_arguments_are_ones_the_benchmark_declares() -> None:
    for name, argv in MODEST.items():
        module = importlib.import_module(f"benchmarks.{name}")
        source = Path(str(module.__file__)).read_text(encoding="utf-8")
        for flag in (a for a in argv if a.startswith("--")):
            assert (
                f'add_argument(\n        "{flag}"' in source or f'add_argument("{flag}"' in source
            ), (
                name,
                flag,
            )


def test_runner_lists_without_running(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--list"]) == 0
    assert "bench_pages --talents 2000" in capsys.readouterr().out
    assert main(["bench_nothing"]) == 2
