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
NEGOTIATING, SIGNED, DROPPED = str(Stage.NEGOTIATING), str(Stage.SIGNED), str(Stage.DROPPED)
PRE_REGISTRATION = [NEGOTIATING, SIGNED]
DEFAULT_SIMS = 2000
SEED = 20201231
CALIBRATION_MONTHS = 6
INDIVIDUAL_MAX = 300  # projects simulated one by one; the rest are summed as a normal with the same moments


def lag_band(lag: np.ndarray | int) -> np.ndarray:
    return np.searchsorted(LAG_BANDS, lag, side="right") - 1


def size_band(contract: Decimal) -> int:
    return max(i for i, (floor, _label) in enumerate(SIZE_BANDS) if contract >= floor)


def kaplan_meier(durations: np.ndarray, observed: np.ndarray, horizon: int = KM_HORIZON) -> np.ndarray:
    """Survival S(t) = P(T > t) for whole months t = 0..horizon (product-limit estimate, right-censored data):
    S(t) = Π over u ≤ t of (1 − events at u ÷ at risk at u), with "at risk at u" the durations ≥ u."""
    s = np.ones(horizon + 1)
    if len(durations) == 0:
        return s
    d = np.clip(np.asarray(durations, dtype=int), 0, horizon + 1)
    obs = np.asarray(observed, dtype=bool)
    ended_before = np.concatenate([[0], np.cumsum(np.bincount(d, minlength=horizon + 2))])[: horizon + 1]
    at_risk = len(d) - ended_before
    events = np.bincount(d[obs & (d <= horizon)], minlength=horizon + 1)[: horizon + 1]
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
    return p.signed_no if stage == SIGNED else p.negotiating_no


def _fit_stages(projects: list[ProjectState], a: int) -> dict[str, StageFit]:
    out: dict[str, StageFit] = {}
    floors = [float(f) for f, _label in SIZE_BANDS]
    for stage in PRE_REGISTRATION:
        rows = [(p, e) for p in projects if (e := _entry(p, stage)) is not None]
        entry = np.array([e for _p, e in rows], dtype=int)
        reg = np.array([month_no(p.registered_on) if p.registered_on else -1 for p, _e in rows], dtype=int)
        obs = reg >= 0
        dur = np.where(obs, reg - entry, a - entry)
        pooled = kaplan_meier(dur, obs)
        contract = np.array([float(p.contract_usd) for p, _e in rows])
        sizes = np.searchsorted(floors, contract, side="right") - 1
        by_size = {}
        for b in range(len(SIZE_BANDS)):
            sel = sizes == b
            by_size[b] = shrink(kaplan_meier(dur[sel], obs[sel]), pooled, float(sel.sum()), KM_CREDIBILITY)
        first = np.array([min(p.arrivals) if p.arrivals else -1 for p, _e in rows], dtype=int)
        obs_a = first >= 0
        dur_a = np.where(obs_a, first - entry, a - entry)
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
    """Year-end totals per run: for the city, per unit, and each project's own contribution."""

    city_ytd: float
    unit_ytd: dict[int, float]
    city: np.ndarray  # runs
    units: dict[int, np.ndarray]
    project_mean: dict[int, float]  # expected arrivals before December, every active project
    project_draws: dict[int, np.ndarray]  # runs, for the projects simulated one by one


@dataclass
class Plan:
    """For each active project (rows) and remaining month (columns): expected amount, chance of an arrival, and the
    amount given an arrival."""

    projects: list[ProjectState]
    expected: np.ndarray
    chance: np.ndarray
    given: np.ndarray


def active_projects(snapshot: Snapshot) -> list[ProjectState]:
    """Projects that may still bring capital this year: not dropped, and registered with capital unpaid or not yet
    registered."""
    out = []
    for p in snapshot.projects.values():
        if p.stage == DROPPED or p.contract_usd <= 0:
            continue
        if p.registered_on is None or p.arrived < p.contract_usd:
            out.append(p)
    return out


def _kind_tables(fitted: Fitted, kinds: list[str]) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
    names = sorted(set(kinds))
    index = {k: i for i, k in enumerate(names)}
    rates = np.array([fitted.profile(k).rate for k in names]).reshape(len(names), len(LAG_BANDS))
    freqs = np.array([fitted.profile(k).freq for k in names]).reshape(len(names), len(LAG_BANDS))
    return index, rates, freqs


def _paths(
    unpaid: np.ndarray, reg: np.ndarray, kind: np.ndarray, rates: np.ndarray, freqs: np.ndarray, fitted: Fitted, h: int
) -> tuple[np.ndarray, np.ndarray]:
    """Expected arrivals and arrival frequency month by month for projects registered in month `reg` (month numbers),
    following the profile from their unpaid capital."""
    a = fitted.as_of_no
    left = unpaid.astype(float).copy()
    expected = np.zeros((len(left), h))
    freq = np.zeros((len(left), h))
    for j in range(h):
        n = a + 1 + j
        lag = n - reg
        ok = lag >= 0
        band = lag_band(np.maximum(lag, 0))
        share = np.minimum(rates[kind, band] * float(fitted.seasonal[n % 12]) * fitted.level, 1.0)
        take = np.where(ok, left * share, 0.0)
        left -= take
        expected[:, j] = take
        freq[:, j] = np.where(ok, freqs[kind, band], 0.0)
    return expected, freq


def registration_matrix(projects: list[ProjectState], fitted: Fitted, horizon: int) -> np.ndarray:
    """P(registered in month a+1+k) for each project at 洽谈 or 签约 (rows) and k < horizon (Kaplan–Meier, conditional
    on not being registered after the months it has already waited)."""
    out = np.zeros((len(projects), horizon))
    if not projects or horizon <= 0:
        return out
    curves: list[np.ndarray] = []
    keys: dict[tuple[str, int], int] = {}
    cid = np.full(len(projects), -1)
    tau = np.zeros(len(projects), dtype=int)
    for i, p in enumerate(projects):
        stage = SIGNED if p.signed_on else NEGOTIATING
        sf = fitted.stages.get(stage)
        entry = _entry(p, stage)
        if sf is None or entry is None:
            continue
        key = (stage, size_band(p.contract_usd))
        if key not in keys:
            keys[key] = len(curves)
            curves.append(sf.by_size.get(key[1], sf.survival))
        cid[i] = keys[key]
        tau[i] = fitted.as_of_no - entry
    if not curves:
        return out
    table = np.array(curves)
    last = table.shape[1] - 1
    ok = cid >= 0
    c = np.where(ok, cid, 0)
    idx = np.clip(tau[:, None] + np.arange(horizon + 1)[None, :], 0, last)
    values = table[c[:, None], idx]
    base = table[c, np.clip(tau, 0, last)]
    with np.errstate(divide="ignore", invalid="ignore"):
        chances = np.where(base[:, None] > 0, (values[:, :-1] - values[:, 1:]) / np.maximum(base[:, None], 1e-12), 0.0)
    out[ok] = chances[ok]
    return out


def plan(projects: list[ProjectState], fitted: Fitted, horizon: int) -> Plan:
    """Every project's expected arrivals, chance and amount given an arrival for the remaining months, in arrays.

    A registered project follows the profile from its unpaid capital; one not yet registered is the mixture over its
    registration month (Kaplan–Meier): in a month, the chance that it has registered by then times the profile's."""
    n = len(projects)
    expected = np.zeros((n, horizon))
    freq = np.zeros((n, horizon))
    if n and horizon > 0:
        index, rates, freqs = _kind_tables(fitted, [p.kind for p in projects])
        kind = np.array([index[p.kind] for p in projects])
        unpaid = np.array([max(float(p.contract_usd) - float(p.arrived), 0.0) for p in projects])
        registered = np.array([p.registered_on is not None for p in projects])
        reg = np.array([month_no(p.registered_on) if p.registered_on else 0 for p in projects])
        r = np.flatnonzero(registered)
        if len(r):
            expected[r], freq[r] = _paths(unpaid[r], reg[r], kind[r], rates, freqs, fitted, horizon)
        q = np.flatnonzero(~registered)
        if len(q):
            chances = registration_matrix([projects[i] for i in q], fitted, horizon)
            a = fitted.as_of_no
            offsets = a + 1 + np.arange(horizon)
            # For one unit of capital of each kind registering in month a+1+k: its path over the remaining months.
            shape_e = np.zeros((len(index), horizon, horizon))
            shape_f = np.zeros((len(index), horizon, horizon))
            for k_i in range(len(index)):
                e, f = _paths(np.ones(horizon), offsets, np.full(horizon, k_i), rates, freqs, fitted, horizon)
                shape_e[k_i], shape_f[k_i] = e, f
            for k_i in np.unique(kind[q]):
                sel = q[kind[q] == k_i]
                ch = chances[kind[q] == k_i]
                expected[sel] = unpaid[sel][:, None] * (ch @ shape_e[k_i])
                freq[sel] = ch @ shape_f[k_i]
    chance = np.clip(freq, 0.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        given = np.where(chance > 0, expected / np.maximum(chance, 1e-12), 0.0)
    return Plan(projects, expected, chance, given)


def _project_plan(p: ProjectState, fitted: Fitted, horizon: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    one = plan([p], fitted, horizon)
    return one.expected[0], one.chance[0], one.given[0]


def simulate(
    snapshot: Snapshot,
    fitted: Fitted,
    *,
    sims: int = DEFAULT_SIMS,
    seed: int = SEED,
    unit_ids: list[int],
    month_factor: bool = True,
) -> Simulation:
    """Year-end actual use by the pipeline route, `sims` runs: the year so far, plus each active project's arrivals
    (the largest INDIVIDUAL_MAX one by one, the rest as a normal with the same mean and variance per unit and month),
    times the city-wide monthly factor, plus what comes from outside the pipeline."""
    rng = np.random.default_rng(seed)
    a = fitted.as_of_no
    horizon = 11 - a % 12
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
    if horizon > 0:
        actives = [p for p in active_projects(snapshot) if p.unit_id in unit_index]
        pl = plan(actives, fitted, horizon)
        sums = pl.expected.sum(axis=1)
        for p, s in zip(actives, sums, strict=True):
            project_mean[p.pk] = float(s)
        order = np.argsort(-sums, kind="stable")
        chosen = order[:INDIVIDUAL_MAX]
        rest = order[INDIVIDUAL_MAX:]
        uidx = np.array([unit_index[p.unit_id] for p in actives], dtype=int)
        if len(chosen):
            hits = rng.random((len(chosen), sims, horizon)) < pl.chance[chosen][:, None, :]
            draws = np.where(hits, pl.given[chosen][:, None, :], 0.0)
            for i, row in zip(chosen, draws, strict=True):
                project_draws[actives[i].pk] = row.sum(axis=1)
            np.add.at(totals, uidx[chosen], draws)
        if len(rest):
            mean = np.zeros((len(units), horizon))
            var = np.zeros((len(units), horizon))
            np.add.at(mean, uidx[rest], pl.expected[rest])
            np.add.at(var, uidx[rest], pl.chance[rest] * (1 - pl.chance[rest]) * pl.given[rest] ** 2)
            noise = rng.standard_normal((len(units), sims, horizon))
            totals += np.maximum(mean[:, None, :] + np.sqrt(var)[:, None, :] * noise, 0.0)
        if month_factor and fitted.month_sigma > 0:
            sigma = fitted.month_sigma
            factor = np.exp(sigma * rng.standard_normal((sims, horizon)) - sigma**2 / 2)
            totals *= factor[None, :, :]
        months = [(a + 1 + j) % 12 for j in range(horizon)]
        for u, ui in unit_index.items():
            outside = fitted.outside.get(u)
            if outside is not None:
                totals[ui] += outside[months][None, :]
    by_unit = {u: unit_ytd[u] + totals[ui].sum(axis=1) for u, ui in unit_index.items()}
    city = sum(unit_ytd.values()) + totals.sum(axis=0).sum(axis=1)
    return Simulation(
        city_ytd=sum(unit_ytd.values()),
        unit_ytd=unit_ytd,
        city=city,
        units=by_unit,
        project_mean=project_mean,
        project_draws=project_draws,
    )
