"""The reasons name modes, title and degree levels, licences and languages in words once the
application has registered the names (issue 13: "服务方式不符：需求为 part_time" must read
"需求为短期驻点"); a code without a registered name still shows, never a crash."""

from __future__ import annotations

import dataclasses

from matching.constraints import Constraint, why_not
from matching.labels import name_en, name_zh, register_names
from matching.types import Mode
from tests.matching.test_constraints import FITS, SITE


def _register() -> None:
    register_names(
        "mode", {"onsite_short": ("短期驻点", "Short on-site"), "remote": ("远程", "Remote")}
    )
    register_names("title", {"3": ("中级", "Intermediate"), "2": ("初级", "Junior")})
    register_names("degree", {"3": ("本科", "Bachelor"), "2": ("大专", "Junior college")})
    register_names("licence", {"physician": ("执业医师", "Licensed physician")})
    register_names("language", {"yi": ("彝语", "Yi")})


def _reason(constraint: Constraint, **change: object) -> tuple[str, str]:
    need = dataclasses.replace(SITE, licences=("physician",), languages=("yi",))
    fits = dataclasses.replace(FITS, licences=("physician",), languages=("yi",))
    (v,) = why_not(need, dataclasses.replace(fits, **change))  # type: ignore[arg-type]
    assert v.constraint is constraint
    return v.zh, v.en


def test_reasons_name_each_code_in_words() -> None:
    _register()
    zh, en = _reason(Constraint.MODE, modes=(Mode.REMOTE,))
    assert "需求为短期驻点" in zh and "本人可选远程" in zh, zh
    assert "Short on-site" in en and "Remote" in en and "onsite_short" not in en, en
    zh, en = _reason(Constraint.TITLE, title_level=2)
    assert zh == "职称不足：要求中级及以上，本人职称：初级", zh
    assert "Intermediate or above" in en and "Junior" in en, en
    zh, en = _reason(Constraint.DEGREE, degree_level=2)
    assert "要求本科及以上" in zh and "大专" in zh, zh
    zh, en = _reason(Constraint.LICENCE, licences=())
    assert zh == "缺少资格证书：执业医师" and "Licensed physician" in en, (zh, en)
    zh, en = _reason(Constraint.LANGUAGE, languages=())
    assert zh == "语言不符：需要彝语" and en.endswith("requires Yi"), (zh, en)


def test_an_unregistered_code_shows_as_it_is() -> None:
    assert name_zh("mode", "no_such_mode") == "no_such_mode"
    assert name_en("nothing", 7) == "7"
