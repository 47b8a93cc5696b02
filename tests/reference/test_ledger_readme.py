"""The README's "How the ledger counts" stays true to the data: it exists with a worked
example, every target key it names is a key of the plan, and the umbrella's roll-up it
describes is the one the data declares."""

from __future__ import annotations

import re
from pathlib import Path

from reference import load_programmes

README = Path(__file__).resolve().parents[2] / "README.md"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"^### How the ledger counts\n(.*?)^## ", text, re.S | re.M)
    assert found, "README has a section '### How the ledger counts'"
    return found.group(1)


def test_the_section_has_a_worked_example_and_names_only_real_keys() -> None:
    section = _section()
    assert "Worked example." in section
    plan = load_programmes()
    keys = {t.key for _, t in plan.targets()}
    named = set(re.findall(r"`([a-z_0-9]+\.[a-z_0-9]+)`", section))
    assert named, "the section names target keys"
    assert named <= keys, f"not keys of the plan: {sorted(named - keys)}"


def test_the_umbrella_is_described_as_the_data_declares_it() -> None:
    section = _section()
    plan = load_programmes()
    umbrella = plan.target("wanming_experts.action_plan")
    bullet = next(p for p in section.split("\n- ") if p.startswith("**The umbrella**"))
    rolled = re.search(r"`rolls_up`: (.*?)\(", bullet, re.S)
    assert rolled
    assert re.findall(r"`([a-z_0-9.]+)`", rolled.group(1)) == list(umbrella.rolls_up)
    for key in ("technicians_frontline.technicians",):
        assert key not in umbrella.rolls_up and "does not roll them up" in bullet
