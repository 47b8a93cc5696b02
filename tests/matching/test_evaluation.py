from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from matching.config import MatchingConfig
from matching.encoders import TextEncoder
from matching.evaluation import (
    EvalRecord,
    evaluate_retrieval,
    ndcg_at,
    precision_at,
    read_jsonl,
    reciprocal_rank,
    retrieval_metrics,
)
from matching.matcher import Matcher

NEEDS = [
    ("n1", "猪场仔猪腹泻怎么治", "vet"),
    ("n2", "鸡瘟疫苗什么时候打", "vet"),
    ("n3", "苹果树腐烂病如何防治", "plant"),
    ("n4", "辣椒疫病用什么药", "plant"),
    ("n5", "乡村小学数学课怎么上", "school"),
    ("n6", "留守儿童语文辅导", "school"),
]
TALENTS = [
    ("t1", "畜禽疫病防治专家。服务记录：猪病诊治；禽流感防控", "vet"),
    ("t2", "作物病虫害防治专家。服务记录：果树病害；蔬菜病虫害绿色防控", "plant"),
    ("t3", "乡村教师。服务记录：小学数学教学；语文阅读辅导", "school"),
]


def write(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    path.write_text(
        "\n".join(
            json.dumps({"id": i, "text": t, "label": lab}, ensure_ascii=False) for i, t, lab in rows
        )
    )
    return path


def test_metrics_on_hand_computed_rankings() -> None:
    first = np.array([1.0, 0.0, 0.0, 1.0])
    third = np.array([0.0, 0.0, 1.0, 0.0])
    assert precision_at(first, 1) == 1.0 and precision_at(third, 1) == 0.0
    assert precision_at(first, 5) == pytest.approx(2 / 5)
    assert reciprocal_rank(third) == pytest.approx(1 / 3)
    assert ndcg_at(first, 10) == pytest.approx((1 + 1 / np.log2(5)) / (1 + 1 / np.log2(3)))
    assert ndcg_at(third, 10) == pytest.approx(0.5)
    metrics = retrieval_metrics([first, third], talents=4)
    assert metrics.mrr == pytest.approx((1 + 1 / 3) / 2)


def test_labels_are_never_read_by_the_ranker(tmp_path: Path, use_encoder: TextEncoder) -> None:
    needs = read_jsonl(write(tmp_path / "n.jsonl", NEEDS))
    talents = read_jsonl(write(tmp_path / "t.jsonl", TALENTS))
    config = MatchingConfig(show_progress=False)
    metrics, ranked = evaluate_retrieval(needs, talents, Matcher(config, encoder=use_encoder))
    scrambled = [dataclasses.replace(r, label="?" + r.label[::-1]) for r in needs]
    _, ranked_blind = evaluate_retrieval(scrambled, talents, Matcher(config, encoder=use_encoder))
    assert [q.ranked_talent_ids for q in ranked] == [q.ranked_talent_ids for q in ranked_blind]
    assert metrics.p1 >= 5 / 6  # the obvious specialist comes first


def test_optional_fields_are_used(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(
        json.dumps({"id": "x", "text": "兽医", "label": "v", "mode": "remote", "fields": ["A01"]})
    )
    (record,) = read_jsonl(path)
    from matching.evaluation import eval_talent_profile

    profile = eval_talent_profile(record, 0)
    assert [m.value for m in profile.modes] == ["remote"] and profile.skills == ("A01",)
    assert isinstance(record, EvalRecord) and "label" not in record.extra


def test_cli_prints_metrics_as_json_on_its_last_line(tmp_path: Path) -> None:
    from service.cli import app

    needs = write(tmp_path / "needs.jsonl", NEEDS)
    talents = write(tmp_path / "talents.jsonl", TALENTS)
    args = ["eval", "retrieval", "--needs", str(needs), "--talents", str(talents)]
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(payload) == {"needs", "talents", "p1", "p5", "mrr", "ndcg10"}
    assert payload["needs"] == 6 and payload["talents"] == 3
    assert payload["ndcg10"] > 0.8 and 0.0 <= payload["p5"] <= 1.0
    text = CliRunner().invoke(app, [*args, "--format", "text"])
    assert text.exit_code == 0 and "nDCG@10" in text.stdout


def test_cli_reports_a_broken_file(tmp_path: Path) -> None:
    from service.cli import app

    bad = tmp_path / "needs.jsonl"
    bad.write_text('{"id": "n1", "text": "x"}\n')
    talents = write(tmp_path / "talents.jsonl", TALENTS)
    result = CliRunner().invoke(
        app, ["eval", "retrieval", "--needs", str(bad), "--talents", str(talents)]
    )
    assert result.exit_code == 2
    assert "missing field(s) ['label']" in result.output
