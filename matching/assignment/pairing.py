"""One-to-one institution pairing (一对一帮扶 / 三级医院对口帮扶县级医院).

Each institution (hospital, university, institute, enterprise) is paired with at most
one site or county hospital, and each site with at most one institution, maximising the
total aggregate fit. A pair whose fit is below ``min_fit`` is never made: both stay
unpaired rather than forming a weak relation. Existing relations can be kept as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from matching.assignment._arrays import FloatArray, IntArray


@dataclass(frozen=True, slots=True)
class PairingOptions:
    """Options of :func:`build_pairing_fit` and :func:`solve_pairing`.

    coverage_weight: weight (>= 0) of the share of a site's posted needs whose
        speciality the institution offers.
    proximity_weight: weight (>= 0) of ``exp(-distance_km / distance_scale_km)``;
        nearer partners visit more often.
    existing_weight: weight (>= 0) added when the pair already works together.
    distance_scale_km: distance (> 0) at which proximity has fallen to 1/e.
    min_fit: pairs with fit below this (>= 0) are never made; nor are pairs of fit 0.
    keep_existing: existing relations are kept as they are, whatever their fit, and
        the rest is paired around them; False lets them compete on fit.
    """

    coverage_weight: float = 1.0
    proximity_weight: float = 0.3
    existing_weight: float = 0.5
    distance_scale_km: float = 150.0
    min_fit: float = 0.0
    keep_existing: bool = True

    def __post_init__(self) -> None:
        for name in ("coverage_weight", "proximity_weight", "existing_weight", "min_fit"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and np.isfinite(value) and value >= 0):
                raise ValueError(f"PairingOptions.{name} = {value!r}; expected a number >= 0")
        if not (isinstance(self.distance_scale_km, int | float) and self.distance_scale_km > 0):
            raise ValueError(
                f"PairingOptions.distance_scale_km = {self.distance_scale_km!r}; "
                "expected a number > 0"
            )


@dataclass(frozen=True, eq=False, slots=True)
class PairingResult:
    """P pairs, sorted by institution.

    Attributes:
        institution_index: int (P,); site_index: int (P,); fit: float (P,).
        total_fit: sum of ``fit``.
        kept_existing: int (P,) bool-like flag, 1 where the pair is a kept relation.
        unpaired_institutions / unpaired_sites: indices left without a partner.
    """

    institution_index: IntArray
    site_index: IntArray
    fit: FloatArray
    kept_existing: NDArray[np.bool_]
    total_fit: float
    unpaired_institutions: IntArray
    unpaired_sites: IntArray


def _matrix(name: str, values: Any, shape: tuple[int, ...] | None = None) -> FloatArray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array, got shape {array.shape}")
    if shape is not None and array.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {array.shape}")
    bad = np.argwhere(~np.isfinite(array) | (array < 0))
    if bad.size:
        i, j = (int(v) for v in bad[0])
        raise ValueError(f"{name}[{i}, {j}] = {array[i, j]}; expected a finite number >= 0")
    return array


def build_pairing_fit(
    specialities_offered: Any,
    needs_posted: Any,
    distance_km: Any,
    existing: Any = None,
    options: PairingOptions | None = None,
) -> FloatArray:
    """Aggregate fit (I, J) of I institutions with J sites.

    Args:
        specialities_offered: (I, S) >= 0; > 0 where the institution offers speciality s
            (its strength does not matter beyond offering it).
        needs_posted: (J, S) >= 0 open needs (or headcount) per speciality at each site.
        distance_km: (I, J) >= 0 travel distance.
        existing: (I, J) bool, True where the pair already works together; or None.
    """
    options = options or PairingOptions()
    offered = _matrix("specialities_offered", specialities_offered)
    posted = _matrix("needs_posted", needs_posted)
    n_inst, n_spec = offered.shape
    if posted.shape[1] != n_spec:
        raise ValueError(
            f"needs_posted has {posted.shape[1]} speciality columns but "
            f"specialities_offered has {n_spec}; both must use the same speciality axis"
        )
    n_sites = posted.shape[0]
    distance = _matrix("distance_km", distance_km, (n_inst, n_sites))
    relation = _existing("existing", existing, (n_inst, n_sites))
    total_posted = posted.sum(axis=1)
    covered = (offered > 0).astype(np.float64) @ posted.T  # (I, J) needs the offer covers
    # A site that posted nothing gets no coverage credit from anyone.
    coverage = np.divide(
        covered, total_posted[None, :], out=np.zeros_like(covered), where=total_posted[None, :] > 0
    )
    proximity = np.exp(-distance / options.distance_scale_km)
    return (
        options.coverage_weight * coverage
        + options.proximity_weight * proximity
        + options.existing_weight * relation
    )


def _existing(name: str, values: Any, shape: tuple[int, int]) -> NDArray[np.bool_]:
    if values is None:
        return np.zeros(shape, bool)
    array = np.asarray(values)
    if array.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {array.shape}")
    return array.astype(bool)


def solve_pairing(
    fit: Any, existing: Any = None, options: PairingOptions | None = None
) -> PairingResult:
    """Maximum-total-fit one-to-one pairing via ``scipy.optimize.linear_sum_assignment``.

    Args:
        fit: (I, J) >= 0, e.g. from :func:`build_pairing_fit`.
        existing: (I, J) bool current relations, at most one per row and per column.
    """
    options = options or PairingOptions()
    fit_matrix = _matrix("fit", fit)
    n_inst, n_sites = fit_matrix.shape
    relation = _existing("existing", existing, (n_inst, n_sites))
    for axis, side in ((1, "institution"), (0, "site")):
        counts = relation.sum(axis=axis)
        if np.any(counts > 1):
            i = int(np.flatnonzero(counts > 1)[0])
            raise ValueError(
                f"{side} {i} has {int(counts[i])} existing relations; one-to-one pairing "
                "allows at most one (use the optimal assignment for many-to-many)"
            )

    kept_inst, kept_site = np.nonzero(relation) if options.keep_existing else ((), ())
    kept_inst, kept_site = np.asarray(kept_inst, int), np.asarray(kept_site, int)
    free_inst = np.setdiff1d(np.arange(n_inst), kept_inst)
    free_site = np.setdiff1d(np.arange(n_sites), kept_site)
    sub = fit_matrix[np.ix_(free_inst, free_site)]
    # A forbidden pair is worth 0, the same as staying unpaired, so the rectangular
    # assignment's optimum equals the best partial pairing; forbidden pairs it uses are
    # then dropped.
    allowed = sub >= options.min_fit
    value = np.where(allowed, sub, 0.0)
    rows, cols = linear_sum_assignment(value, maximize=True)
    made = allowed[rows, cols] & (sub[rows, cols] > 0)  # a pair of fit 0 helps no one
    inst = np.concatenate([kept_inst, free_inst[rows[made]]])
    site = np.concatenate([kept_site, free_site[cols[made]]])
    kept = np.concatenate([np.ones(kept_inst.shape[0], bool), np.zeros(int(made.sum()), bool)])
    order = np.argsort(inst, kind="stable")
    inst, site, kept = inst[order].astype(np.int64), site[order].astype(np.int64), kept[order]
    pair_fit = fit_matrix[inst, site]
    return PairingResult(
        institution_index=inst,
        site_index=site,
        fit=pair_fit,
        kept_existing=kept,
        total_fit=float(pair_fit.sum()),
        unpaired_institutions=np.setdiff1d(np.arange(n_inst), inst).astype(np.int64),
        unpaired_sites=np.setdiff1d(np.arange(n_sites), site).astype(np.int64),
    )
