"""The forecast model: simple, documented statistics fitted on the registry as it stood at the as-of month.

Three parts, each readable on its own (the README's 预测 section states them with the demo's numbers):

1. **Registered projects** (设立 or later at the as-of date) receive capital month by month. The *arrival profile*
   is, for each band of months since registration, the share of the still-unpaid contracted foreign capital that
   arrives in a month (arrivals ÷ unpaid capital, summed over every project-month of the history), with the calendar
   month's seasonal index of past years folded in. Per project kind the rate is shrunk towards the pooled rate by
   its number of observed project-months (credibility weight n ÷ (n + 24)). Whether a month brings capital is a
   coin with the observed frequency; how much, the observed share given that it does.
2. **Projects not yet registered** (洽谈, 签约) reach registration after a delay whose distribution is the
   Kaplan–Meier estimate from the stage's entry, censored at the as-of date (a dropped project never registers, so
   it stays in the risk set until the as-of date); per size band, shrunk towards all projects of the stage. Once
   registered they follow the profile of part 1. The probability of reaching 到资 and its median delay per stage are
   reported beside, from the same kind of estimate.
3. **Arrivals outside the pipeline** (projects not yet in the registry at the as-of date that bring capital before
   December) follow last years' amounts for the same months.

The sum is simulated (Monte Carlo, seeded, a fixed number of runs). Besides each project's own chance, a city-wide
factor per month scales the pipeline's arrivals: its spread is the scatter of past months' actual use around what the
profile predicted for them (in-sample), so the range is as wide as the registry's own history says, not wider.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from zhaoshang.projects.models import Stage

from .snapshot import ProjectState, Snapshot, month_no

LAG_BANDS = [0, 1, 2, 3, 4, 5, 6, 9, 12, 18, 24]  # band i holds lags from LAG_BANDS[i] up to the next edge
CREDIBILITY = 24.0  # project-months that give a group's own rate half the weight
KM_CREDIBILITY = 10.0  # projects that give a size band's own delay curve half the weight
KM_HORIZON = 36  # months of delay curve kept
SIZE_BANDS = [
    (Decimal(0), "小于1000万美元"),
    (Decimal(10_000_000), "1000万至1亿美元"),
    (Decimal(100_000_000), "1亿美元以上"),
]
PRE_REGISTRATION = [Stage.NEGOTIATING, Stage.SIGNED]
DEFAULT_SIMS = 2000
SEED = 20201231
CALIBRATION_MONTHS = 6
INDIVIDUAL_MAX = 3000  # projects simulated one by one; smaller ones are summed as a normal with the same moments


def lag_band(lag: np.ndarray | int) -> np.ndarray:
    return np.searchsorted(LAG_BANDS, lag, side="right") - 1


def size_band(contract: Decimal) -> int:
    return max(i for i, (floor, _label) in enumerate(SIZE_BANDS) if contract >= floor)


def kaplan_meier(durations: np.ndarray, observed: np.ndarray, horizon: int = KM_HORIZON) -> np.ndarray:
    """Survival S(t) = P(T > t) for whole months t = 0..horizon (product-limit estimate, right-censored data)."""
    s = np.ones(horizon + 1)
    if len(durations) == 0:
        return s
    t = np.arange(horizon + 1)
    at_risk = (durations[None, :] >= t[:, None]).sum(axis=1)
    events = ((durations[None, :] == t[:, None]) & observed[None, :]).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(at_risk > 0, 1.0 - events / np.maximum(at_risk, 1), 1.0)
    return np.cumprod(factor)


def shrink(own: np.ndarray, pooled: np.ndarray, n: float | np.ndarray, k: float) -> np.ndarray:
    w = n / (n + k)
    return w * own + (1 - w) * pooled


@dataclass
class Profile:
    """Per lag band: monthly share of unpaid capital arriving (rate), chance of an arrival (freq), observations."""

    rate: np.ndarray
    freq: np.ndarray
    n: np.ndarray


@dataclass
class StageFit:
    stage: str
    projects: int
    survival: np.ndarray  # P(not registered after t months in the stage), pooled
    by_size: dict[int, np.ndarray]
    reach_arrival: float  # P(first arrival within KM_HORIZON months of entering the stage)
    median_delay_months: int | None  # to the first arrival, among those that arrive


@dataclass
class Fitted:
    as_of_no: int
    seasonal: np.ndarray  # index per calendar month (mean 1)
    pooled: Profile
    by_kind: dict[str, Profile]
    stages: dict[str, StageFit]
    outside: dict[int, np.ndarray]  # unit id → expected arrivals per calendar month from outside the pipeline
    level: float  # recent months' actual ÷ the profile's in-sample prediction: scales the pipeline
    month_sigma: float  # spread of the city-wide monthly factor (log scale)
    history_years: list[int] = field(default_factory=list)

    def profile(self, kind: str) -> Profile:
        return self.by_kind.get(kind, self.pooled)


def _seasonal(snapshot: Snapshot) -> tuple[np.ndarray, list[int]]:
    """Mean share of each calendar month in past complete years, × 12; flat when no complete year is there."""
    a = snapshot.as_of_no
    totals: dict[int, np.ndarray] = defaultdict(lambda: np.zeros(12))
    for n, per_unit in snapshot.monthly.items():
        totals[n // 12][n % 12] += float(sum(per_unit.values()))
    years = [y for y in sorted(totals) if y * 12 + 11 <= a and totals[y].sum() > 0 and (totals[y] > 0).sum() >= 10]
    if not years:
        return np.ones(12), []
    shares = np.mean([totals[y] / totals[y].sum() for y in years], axis=0) * 12
    # Shrink towards flat with one year's weight, so a single odd month in a single year does not dominate.
    shares = (len(years) * shares + 1.0) / (len(years) + 1)
    return shares, years


def _registered_matrix(
    projects: list[ProjectState], first: int, last: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Arrivals (projects × months first..last), the registration month index and the contract, as floats."""
    months = last - first + 1
    arr = np.zeros((len(projects), months))
    reg = np.zeros(len(projects), dtype=int)
    contract = np.zeros(len(projects))
    for i, p in enumerate(projects):
        reg[i] = month_no(p.registered_on) - first  # type: ignore[arg-type]
        contract[i] = float(p.contract_usd)
        for n, amount in p.arrivals.items():
            if first <= n <= last:
                arr[i, n - first] += float(amount)
    return arr, reg, contract


def _profile(arr: np.ndarray, reg: np.ndarray, contract: np.ndarray, season: np.ndarray, first: int) -> Profile:
    months = arr.shape[1]
    t = np.arange(months)
    lag = t[None, :] - reg[:, None]
    paid_before = np.cumsum(arr, axis=1) - arr
    unpaid = np.maximum(contract[:, None] - paid_before, 0.0)
    at_risk = (lag >= 0) & (unpaid > 0)
    band = np.where(at_risk, lag_band(np.maximum(lag, 0)), -1)
    s = season[(first + t) % 12][None, :]
    nb = len(LAG_BANDS)
    flat = band.ravel()
    ok = flat >= 0
    num = np.bincount(flat[ok], weights=arr.ravel()[ok], minlength=nb)
    den = np.bincount(flat[ok], weights=(unpaid * s).ravel()[ok], minlength=nb)
    hits = np.bincount(flat[ok], weights=(arr.ravel()[ok] > 0).astype(float), minlength=nb)
    n = np.bincount(flat[ok], minlength=nb).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(den > 0, num / np.maximum(den, 1e-9), 0.0)
        freq = np.where(n > 0, hits / np.maximum(n, 1), 0.0)
    return Profile(rate=np.minimum(rate, 1.0), freq=freq, n=n)


def _fit_profiles(registered: list[ProjectState], a: int, season: np.ndarray) -> tuple[Profile, dict[str, Profile]]:
    if not registered:
        z = np.zeros(len(LAG_BANDS))
        return Profile(z, z, z), {}
    first = min(month_no(p.registered_on) for p in registered)  # type: ignore[arg-type]
    first = min(first, a)
    arr, reg, contract = _registered_matrix(registered, first, a)
    pooled = _profile(arr, reg, contract, season, first)
    kinds = np.array([p.kind for p in registered])
    by_kind = {}
    for kind in sorted(set(kinds.tolist())):
        sel = kinds == kind
        own = _profile(arr[sel], reg[sel], contract[sel], season, first)
        by_kind[kind] = Profile(
            rate=shrink(own.rate, pooled.rate, own.n, CREDIBILITY),
            freq=shrink(own.freq, pooled.freq, own.n, CREDIBILITY),
            n=own.n,
        )
    return pooled, by_kind


def _entry(p: ProjectState, stage: str) -> int | None:
    if stage == Stage.SIGNED:
        return month_no(p.signed_on) if p.signed_on else None
    return month_no(p.first_on) if p.events and p.events[0][0] == Stage.NEGOTIATING else None


def _fit_stages(projects: list[ProjectState], a: int) -> dict[str, StageFit]:
    out: dict[str, StageFit] = {}
    for stage in PRE_REGISTRATION:
        rows = [(p, e) for p in projects if (e := _entry(p, stage)) is not None]
        dur = np.array([month_no(p.registered_on) - e if p.registered_on else a - e for p, e in rows], dtype=int)
        obs = np.array([p.registered_on is not None for p, _e in rows], dtype=bool)
        pooled = kaplan_meier(dur, obs)
        sizes = np.array([size_band(p.contract_usd) for p, _e in rows], dtype=int)
        by_size = {}
        for b in range(len(SIZE_BANDS)):
            sel = sizes == b
            by_size[b] = shrink(kaplan_meier(dur[sel], obs[sel]), pooled, float(sel.sum()), KM_CREDIBILITY)
        first_arrival = [min(p.arrivals) if p.arrivals else None for p, _e in rows]
        dur_a = np.array([fa - e if fa is not None else a - e for (_p, e), fa in zip(rows, first_arrival, strict=True)])
        obs_a = np.array([fa is not None for fa in first_arrival], dtype=bool)
        surv_a = kaplan_meier(np.maximum(dur_a, 0), obs_a)
        reach = 1.0 - float(surv_a[-1])
        median = None
        if reach > 0:
            cdf = (1.0 - surv_a) / reach
            median = int(np.searchsorted(cdf, 0.5))
        out[str(stage)] = StageFit(str(stage), len(rows), pooled, by_size, reach, median)
    return out


def _outside(snapshot: Snapshot, years: list[int]) -> dict[int, np.ndarray]:
    """Per unit, the mean amount per calendar month brought in past years by projects not yet in the registry at
    the same month-end of that year (the as-of month's analogue)."""
    a_month = snapshot.as_of_no % 12
    out: dict[int, np.ndarray] = defaultdict(lambda: np.zeros(12))
    if not years:
        return out
    for p in snapshot.projects.values():
        for y in years:
            cutoff = y * 12 + a_month
            if month_no(p.first_on) <= cutoff:
                continue
            for n, amount in p.arrivals.items():
                if cutoff < n <= y * 12 + 11:
                    out[p.unit_id][n % 12] += float(amount) / len(years)
    return out


def _calibration(
    snapshot: Snapshot, registered: list[ProjectState], fitted_profile: Profile, season: np.ndarray
) -> tuple[float, float]:
    """Log-scale scatter of the last 12 months' city totals from registered projects around the profile's
    in-sample prediction for them."""
    a = snapshot.as_of_no
    if not registered:
        return 1.0, 0.25
    first = a - 11
    arr, reg, contract = _registered_matrix(registered, first - 36, a)
    start = 36
    t = np.arange(arr.shape[1])
    lag = t[None, :] - reg[:, None]
    unpaid = np.maximum(contract[:, None] - (np.cumsum(arr, axis=1) - arr), 0.0)
    band = lag_band(np.maximum(lag, 0))
    s = season[(first - 36 + t) % 12][None, :]
    expected = np.where(lag >= 0, unpaid * fitted_profile.rate[band] * s, 0.0)
    actual = arr[:, start:].sum(axis=0)
    predicted = expected[:, start:].sum(axis=0)
    ok = (actual > 0) & (predicted > 0)
    if ok.sum() < 3:
        return 1.0, 0.25
    recent = np.arange(len(actual)) >= len(actual) - CALIBRATION_MONTHS
    level = float(actual[recent].sum() / predicted[recent].sum()) if predicted[recent].sum() > 0 else 1.0
    return level, float(np.std(np.log(actual[ok] / predicted[ok]), ddof=1))


def fit(snapshot: Snapshot) -> Fitted:
    a = snapshot.as_of_no
    season, years = _seasonal(snapshot)
    projects = list(snapshot.projects.values())
    registered = [p for p in projects if p.registered_on is not None]
    pooled, by_kind = _fit_profiles(registered, a, season)
    level, sigma = _calibration(snapshot, registered, pooled, season)
    return Fitted(
        as_of_no=a,
        seasonal=season,
        pooled=pooled,
        by_kind=by_kind,
        stages=_fit_stages(projects, a),
        outside=dict(_outside(snapshot, years)),
        level=level,
        month_sigma=sigma,
        history_years=years,
    )


# ------------------------------------------------------------------------------------------------ simulation


@dataclass
class Simulation:
    """Year-end totals per run: for the city, per unit, and each project's own contribution (mean)."""

    city_ytd: float
    unit_ytd: dict[int, float]
    city: np.ndarray  # runs
    units: dict[int, np.ndarray]
    project_mean: dict[int, float]
    project_draws: dict[int, np.ndarray]  # runs, for the projects simulated one by one
    monthly_mean: np.ndarray  # expected city arrivals per remaining month
    monthly_p10: np.ndarray
    monthly_p90: np.ndarray


def project_expected_path(p: ProjectState, fitted: Fitted, horizon: int, reg_offset: int | None = None) -> np.ndarray:
    """Expected arrivals for each of the next `horizon` months, for a registered project (or one registering
    `reg_offset` months after the as-of month)."""
    a = fitted.as_of_no
    prof = fitted.profile(p.kind)
    unpaid = max(float(p.contract_usd) - float(p.arrived), 0.0)
    reg = month_no(p.registered_on) if p.registered_on else a + (reg_offset or 0)
    out = np.zeros(horizon)
    for j in range(horizon):
        n = a + 1 + j
        lag = n - reg
        if lag < 0:
            continue
        take = unpaid * min(float(prof.rate[lag_band(lag)]) * float(fitted.seasonal[n % 12]) * fitted.level, 1.0)
        out[j] = take
        unpaid -= take
    return out


def registration_chances(p: ProjectState, fitted: Fitted, horizon: int) -> np.ndarray:
    """P(registered in month a+1+j) for j < horizon, for a project at 洽谈 or 签约 at the as-of date."""
    stage = Stage.SIGNED if p.signed_on else Stage.NEGOTIATING
    sf = fitted.stages.get(stage)
    entry = _entry(p, stage) if sf else None
    if sf is None or entry is None:
        return np.zeros(horizon)
    curve = sf.by_size.get(size_band(p.contract_usd), sf.survival)
    tau = fitted.as_of_no - entry

    def surv(t: int) -> float:
        return float(curve[min(max(t, 0), len(curve) - 1)]) if t < len(curve) else float(curve[-1])

    base = surv(tau)
    if base <= 0:
        return np.zeros(horizon)
    return np.array([(surv(tau + j) - surv(tau + j + 1)) / base for j in range(horizon)])


def active_projects(snapshot: Snapshot) -> list[ProjectState]:
    """Projects that may still bring capital this year: not dropped, and registered with capital unpaid or not yet
    registered."""
    out = []
    for p in snapshot.projects.values():
        if p.stage == Stage.DROPPED or p.contract_usd <= 0:
            continue
        if p.registered_on is None or p.arrived < p.contract_usd:
            out.append(p)
    return out


def simulate(
    snapshot: Snapshot,
    fitted: Fitted,
    *,
    sims: int = DEFAULT_SIMS,
    seed: int = SEED,
    unit_ids: list[int],
    overrides: dict[int, dict[int, float]] | None = None,
    month_factor: bool = True,
) -> Simulation:
    """Year-end actual use, `sims` runs. `overrides` fixes a project's arrivals (month number → US$) in every run:
    the counterfactuals ("if XM… receives US$30m before October")."""
    rng = np.random.default_rng(seed)
    a = fitted.as_of_no
    year_end = (a // 12) * 12 + 11
    horizon = year_end - a
    units = list(unit_ids)
    unit_index = {u: i for i, u in enumerate(units)}
    ytd_start = (a // 12) * 12
    unit_ytd = {u: 0.0 for u in units}
    for n, per_unit in snapshot.monthly.items():
        if ytd_start <= n <= a:
            for u, amount in per_unit.items():
                if u in unit_index:
                    unit_ytd[u] += float(amount)
    totals = np.zeros((len(units), sims, max(horizon, 1)))
    project_mean: dict[int, float] = {}
    project_draws: dict[int, np.ndarray] = {}
    overrides = overrides or {}
    if horizon > 0:
        actives = [p for p in active_projects(snapshot) if p.unit_id in unit_index]
        means = []
        for p in actives:
            means.append(_project_plan(p, fitted, horizon))
        order = np.argsort([-float(m[0].sum()) for m in means]) if means else np.array([], dtype=int)
        individual = set(order[:INDIVIDUAL_MAX].tolist())
        rest_mean = np.zeros((len(units), horizon))
        rest_var = np.zeros((len(units), horizon))
        for i, p in enumerate(actives):
            ui = unit_index[p.unit_id]
            expected, chance, given = means[i]
            if p.pk in overrides:
                fixed = np.zeros(horizon)
                for n, fixed_usd in overrides[p.pk].items():
                    if a < n <= year_end:
                        fixed[n - a - 1] += fixed_usd
                draws = np.broadcast_to(fixed, (sims, horizon))
            elif i in individual:
                hit = rng.random((sims, horizon)) < chance[None, :]
                draws = np.where(hit, given[None, :], 0.0)
            else:
                rest_mean[ui] += expected
                rest_var[ui] += chance * (1 - chance) * given**2
                project_mean[p.pk] = float(expected.sum())
                continue
            totals[ui] += draws
            project_mean[p.pk] = float(draws.sum(axis=1).mean())
            project_draws[p.pk] = draws.sum(axis=1)
        if rest_mean.any():
            noise = rng.standard_normal((len(units), sims, horizon))
            totals += np.maximum(rest_mean[:, None, :] + np.sqrt(rest_var)[:, None, :] * noise, 0.0)
        if month_factor and fitted.month_sigma > 0:
            sigma = fitted.month_sigma
            factor = np.exp(sigma * rng.standard_normal((sims, horizon)) - sigma**2 / 2)
            totals *= factor[None, :, :]
        for u, ui in unit_index.items():
            outside = fitted.outside.get(u)
            if outside is not None:
                months = [(a + 1 + j) % 12 for j in range(horizon)]
                totals[ui] += outside[months][None, :]
    by_unit = {u: unit_ytd[u] + totals[ui].sum(axis=1) for u, ui in unit_index.items()}
    city_monthly = totals.sum(axis=0)
    city = sum(unit_ytd.values()) + city_monthly.sum(axis=1)
    return Simulation(
        city_ytd=sum(unit_ytd.values()),
        unit_ytd=unit_ytd,
        city=city,
        units=by_unit,
        project_mean=project_mean,
        project_draws=project_draws,
        monthly_mean=city_monthly.mean(axis=0) if horizon else np.zeros(0),
        monthly_p10=np.percentile(city_monthly, 10, axis=0) if horizon else np.zeros(0),
        monthly_p90=np.percentile(city_monthly, 90, axis=0) if horizon else np.zeros(0),
    )


def _project_plan(p: ProjectState, fitted: Fitted, horizon: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(expected amount, chance of an arrival, amount given an arrival) for each remaining month.

    A registered project follows the profile; one not yet registered is the mixture over its registration month
    (Kaplan–Meier), so its chance in a month is the chance that it has registered by then times the profile's."""
    prof = fitted.profile(p.kind)
    a = fitted.as_of_no
    if p.registered_on is not None:
        expected = project_expected_path(p, fitted, horizon)
        lags = np.array([a + 1 + j - month_no(p.registered_on) for j in range(horizon)])
        freq = prof.freq[lag_band(np.maximum(lags, 0))]
    else:
        chances = registration_chances(p, fitted, horizon)
        expected = np.zeros(horizon)
        freq = np.zeros(horizon)
        for k, pr in enumerate(chances):
            if pr <= 0:
                continue
            expected += pr * project_expected_path(p, fitted, horizon, reg_offset=k + 1)
            lags = np.arange(horizon) - k
            f = np.where(lags >= 0, prof.freq[lag_band(np.maximum(lags, 0))], 0.0)
            freq += pr * f
    chance = np.clip(freq, 0.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        given = np.where(chance > 0, expected / np.maximum(chance, 1e-12), 0.0)
    return expected, chance, given
