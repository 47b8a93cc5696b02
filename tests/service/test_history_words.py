"""A match's history names the batch run that proposed it in words, not as its stored
reason ("batch run #3")."""

from __future__ import annotations

from service.i18n import translate
from service.usecases.views import _batch_run


def test_a_batch_proposals_reason_becomes_its_run_number() -> None:
    assert _batch_run("batch run #3") == 3
    assert _batch_run("该人才时间冲突") is None and _batch_run(None) is None
    assert translate("history.batch_run", "zh-CN").format(run=3) == "由第 3 次批量匹配提出"
    assert translate("history.batch_run", "en").format(run=3) == "Proposed by batch run 3"
