"""The plan's reference data (楚才组〔2020〕4号): programmes and targets, counties and
townships, the skills taxonomy and the category lists.

Data files live in ``reference/data/``; this package reads and validates them into frozen
dataclasses. It imports nothing of the project, so every layer may use it.
"""

from reference._reader import *  # noqa: F403
from reference._reader import __all__ as __all__
