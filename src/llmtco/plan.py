"""Traffic plans: which backend serves how much of each request class, and with what outcome.

A plan is the step between an option (plain or hybrid) and its costs. For each request class it
holds the expected calls each backend receives per request of the class (retries, cascade
escalations, splits and failover included) and the class's outcome: success, false accepts,
escalations to a human, requests left unserved, and the money those cost. The orchestrator sizes
and prices every backend from the calls; the outcome lines are added per request.

A plain option is a plan with one backend (itself) and one route. Formulas live in
:mod:`llmtco.engine.outcomes` and :mod:`llmtco.engine.routing`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from llmtco.engine import cascade_reach, optimal_routing, retry_cost
from llmtco.engine._arrays import FloatArray
from llmtco.errors import ScenarioError
from llmtco.models import ApiOption, HybridOption, SelfHostedOption
from llmtco.models.scenario import Route, may_serve
from llmtco.models.workload import RequestClass

__all__ = ["TrafficPlan", "plan_option"]

Backend = ApiOption | SelfHostedOption


@dataclass(frozen=True)
class _Path:
    """Expected result of one request of one class along a route (per request of the class)."""

    calls: FloatArray  # (n_backends,) model calls per request [calls/request]
    p_success: float
    p_false_accept: float
    p_human: float  # escalated to a human
    p_unserved: float  # not resolved: no human, a human who got it wrong, or an outage
    verify_usd: float
    human_usd: float
    false_accept_usd: float
    known: bool  # every backend on the path states its outcomes

    def scaled(self, weight: float) -> _Path:
        return _Path(
            self.calls * weight,
            self.p_success * weight,
            self.p_false_accept * weight,
            self.p_human * weight,
            self.p_unserved * weight,
            self.verify_usd * weight,
            self.human_usd * weight,
            self.false_accept_usd * weight,
            self.known,
        )

    def plus(self, other: _Path) -> _Path:
        return _Path(
            self.calls + other.calls,
            self.p_success + other.p_success,
            self.p_false_accept + other.p_false_accept,
            self.p_human + other.p_human,
            self.p_unserved + other.p_unserved,
            self.verify_usd + other.verify_usd,
            self.human_usd + other.human_usd,
            self.false_accept_usd + other.false_accept_usd,
            self.known and other.known,
        )


def _mix(paths: list[tuple[float, _Path]], n_backends: int) -> _Path:
    total = _Path(np.zeros(n_backends), 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, True)
    for weight, path in paths:
        if weight > 0:
            total = total.plus(path.scaled(weight))
    return total


@dataclass(frozen=True)
class TrafficPlan:
    """Where each request class goes and what comes of it.

    Attributes
    ----------
    classes : tuple of str
        Request class names (``all`` when the workload has no classes).
    class_share : numpy.ndarray
        Share of the workload's requests in each class [-], shape (n_classes,).
    backends : tuple of str
        Backend names (a plain option's only backend is itself).
    calls : numpy.ndarray
        Expected calls each backend receives per request of each class [calls/request],
        shape (n_classes, n_backends).
    entry_share : numpy.ndarray
        Share of each class's requests first sent to each backend [-] (the routing table).
    p_success, p_false_accept, p_human, p_unserved : numpy.ndarray
        Per class: right answer delivered, wrong answer accepted, escalated to a human, and
        not resolved (no human, a human who got it wrong, or dropped in an outage) [-];
        ``p_success + p_false_accept + p_unserved = 1``. ``p_success`` is NaN when a backend
        on the class's route states no outcomes.
    verify_usd, human_usd, false_accept_usd : numpy.ndarray
        Per request of each class: verification, human escalation and false-accept costs
        [USD/request].
    route : tuple of str
        Per class, the route taken, in words.
    """

    classes: tuple[str, ...]
    class_share: FloatArray
    backends: tuple[str, ...]
    calls: FloatArray
    entry_share: FloatArray
    p_success: FloatArray
    p_false_accept: FloatArray
    p_human: FloatArray
    p_unserved: FloatArray
    verify_usd: FloatArray
    human_usd: FloatArray
    false_accept_usd: FloatArray
    route: tuple[str, ...]

    def calls_by_class(self, backend: int) -> FloatArray:
        """Calls to backend number ``backend`` per workload request, by class [calls/request].

        Their sum is the backend's calls per workload request; they weigh the classes' sizes
        in the traffic the backend receives.
        """
        result: FloatArray = self.class_share * self.calls[:, backend]
        return result

    def weighted(self, per_class: FloatArray) -> float:
        """Share-weighted mean of a per-class figure over the workload's requests."""
        return float(self.class_share @ per_class)


def _stage(
    backends: tuple[str, ...],
    name: str,
    option: Backend,
    class_name: str,
    *,
    human: bool,
) -> _Path:
    """One backend tried with its own retries; its human only when ``human`` (last stage)."""
    calls = np.zeros(len(backends))
    index = backends.index(name)
    if option.outcomes is None:
        calls[index] = 1.0
        return _Path(calls, np.nan, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, known=False)
    terms = option.outcomes.for_class(class_name)
    with_human = human and terms.human_usd is not None
    outcome = retry_cost(
        0.0,
        terms.success_rate,
        terms.max_attempts,
        hard_share=terms.hard_share,
        false_accept_rate=terms.false_accept_rate,
        human_cost=terms.human_usd if with_human else None,
        human_success=terms.human_success_rate,
    )
    attempts = float(outcome.attempts)
    escalated = float(outcome.p_escalated)
    p_false_accept = float(outcome.p_false_accept)
    calls[index] = attempts
    return _Path(
        calls,
        float(outcome.p_success),
        p_false_accept,
        escalated if with_human else 0.0,
        escalated * (1.0 - terms.human_success_rate) if with_human else escalated,
        attempts * terms.verify_usd,
        escalated * (terms.human_usd or 0.0) if with_human else 0.0,
        p_false_accept * terms.false_accept_usd,
        known=True,
    )


def _cascade(
    backends: tuple[str, ...],
    stages: list[tuple[str, Backend]],
    class_name: str,
) -> _Path:
    """Each stage's rejects go to the next; the last stage's go to its human, if any."""
    paths = [
        _stage(backends, name, option, class_name, human=index == len(stages) - 1)
        for index, (name, option) in enumerate(stages)
    ]
    # A stage "accepts" whatever it does not escalate: P(reach k) = prod_{j<k} escalated_j.
    # Intermediate stages have no human, so all they escalate is in p_unserved.
    escalated = [p.p_unserved for p in paths[:-1]]
    reach = np.asarray(cascade_reach([1.0 - e for e in escalated]), dtype=np.float64)
    known = all(p.known for p in paths)
    if not known:
        msg = (
            f"a cascade needs outcomes on every stage to know what escalates; "
            f"{[n for (n, _), p in zip(stages, paths, strict=True) if not p.known]} state none"
        )
        raise ValueError(msg)
    # Intermediate stages escalate instead of giving up: drop their unserved share.
    trimmed = [replace(p, p_unserved=0.0) for p in paths[:-1]] + [paths[-1]]
    return _mix(list(zip(reach.tolist(), trimmed, strict=True)), len(backends))


def _route_path(
    option: HybridOption | Backend,
    own_name: str,
    backends: tuple[str, ...],
    route: Route | None,
    class_name: str,
    shares: Mapping[str, float] | None = None,
) -> tuple[_Path, FloatArray]:
    """The path of one class along its route, and the entry shares per backend."""
    entry = np.zeros(len(backends))
    if not isinstance(option, HybridOption):  # a plain option is its own only backend
        entry[0] = 1.0
        return _stage(backends, own_name, option, class_name, human=True), entry
    if route is None:  # pragma: no cover - validation guarantees every class a route
        msg = f"no route for class {class_name}"
        raise ValueError(msg)
    if route.cascade is not None:
        entry[backends.index(route.cascade[0])] = 1.0
        stages = [(b, option.backends[b]) for b in route.cascade]
        return _cascade(backends, stages, class_name), entry
    split = dict(shares) if shares is not None else (route.shares or {route.to or "": 1.0})
    parts = []
    for backend, share in split.items():
        entry[backends.index(backend)] += share
        parts.append(
            (share, _stage(backends, backend, option.backends[backend], class_name, human=True))
        )
    return _mix(parts, len(backends)), entry


def _with_failover(
    option: HybridOption,
    backends: tuple[str, ...],
    route: Route,
    path: _Path,
    class_name: str,
    request_class: RequestClass,
) -> _Path:
    """During self-hosted outages, the class goes to the failover API or is not served."""
    down = 1.0 - option.availability
    uses_self_hosted = any(isinstance(option.backends[b], SelfHostedOption) for b in route.backends)
    if down == 0 or not uses_self_hosted:
        return path
    target = option.failover_to
    target_option = option.backends[target] if target is not None else None
    if target is not None and target_option is not None and may_serve(target_option, request_class):
        outage = _stage(backends, target, target_option, class_name, human=True)
    else:
        outage = _Path(np.zeros(len(backends)), 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, path.known)
    combined = path.scaled(option.availability).plus(outage.scaled(down))
    # Self-hosted backends are sized (and costed) for their traffic while they are up.
    self_hosted = np.asarray([isinstance(option.backends[b], SelfHostedOption) for b in backends])
    return replace(combined, calls=np.where(self_hosted, path.calls, combined.calls))


def _choose_shares(
    key: str,
    option: HybridOption,
    backends: tuple[str, ...],
    classes: dict[str, RequestClass],
    fixed: dict[str, _Path],
    usd_per_call: Mapping[str, FloatArray],
) -> dict[str, dict[str, float]]:
    """Split of each ``choose`` class between its candidates that meets the objective.

    Candidates are weighed as they will be priced: outages and failover included.
    """
    objective = option.optimize
    if objective is None:  # pragma: no cover - validation pairs choose with optimize
        return {}
    names = list(classes)
    unit = np.stack([usd_per_call[b] for b in backends], axis=1)  # (n_classes, n_backends)
    n_cols = len(backends) + 1  # one column per backend, and the last for a fixed route
    cost = np.zeros((len(names), n_cols))
    success = np.zeros((len(names), n_cols))
    allowed = np.zeros((len(names), n_cols), dtype=bool)
    for i, name in enumerate(names):
        request_class = classes[name]
        route = option.route_for(name, request_class)
        if route is not None and route.choose is not None:
            for j, backend in enumerate(backends):
                target = option.backends[backend]
                if backend not in route.choose or not may_serve(target, request_class):
                    continue
                path = _with_failover(
                    option,
                    backends,
                    Route(to=backend),
                    _stage(backends, backend, target, name, human=True),
                    name,
                    request_class,
                )
                allowed[i, j] = True
                cost[i, j] = _path_usd(path, unit[i])
                success[i, j] = path.p_success
        else:
            path = fixed[name]
            if route is not None:
                path = _with_failover(option, backends, route, path, name, request_class)
            allowed[i, -1] = True
            cost[i, -1] = _path_usd(path, unit[i])
            success[i, -1] = path.p_success
    if np.isnan(success[allowed]).any():
        msg = (
            f"{key}.optimize: every backend the hybrid uses needs outcomes (a success_rate) "
            "for the optimiser to weigh quality against cost"
        )
        raise ScenarioError(msg)
    share = np.asarray([classes[n].share for n in names])
    routing = optimal_routing(
        cost,
        success,
        share,
        allowed=allowed,
        min_success=objective.min_success_rate,
        max_usd_per_request=objective.max_usd_per_request,
    )
    if not routing.feasible:
        msg = f"{key}.optimize: {routing.message}"
        raise ScenarioError(msg)
    chosen: dict[str, dict[str, float]] = {}
    for i, name in enumerate(names):
        route = option.route_for(name, classes[name])
        if route is not None and route.choose is not None:
            chosen[name] = {
                backends[j]: float(routing.shares[i, j])
                for j in range(len(backends))
                if allowed[i, j] and routing.shares[i, j] > 0
            }
    return chosen


def _path_usd(path: _Path, usd_per_call: FloatArray) -> float:
    """Marginal cost of a path per request: calls priced per call, plus outcome costs."""
    return float(
        path.calls @ usd_per_call + path.verify_usd + path.human_usd + path.false_accept_usd
    )


def _describe(route: Route | None, shares: Mapping[str, float] | None) -> str:
    if route is None:
        return "direct"
    if route.cascade is not None:
        return "cascade " + " -> ".join(route.cascade)
    split = shares if shares is not None else route.shares
    if split is not None:
        kind = "optimised split" if route.choose is not None else "split"
        return f"{kind} " + ", ".join(f"{b} {s:.3g}" for b, s in split.items())
    return f"to {route.to}"


def plan_option(
    key: str,
    name: str,
    option: ApiOption | SelfHostedOption | HybridOption,
    classes: dict[str, RequestClass],
    usd_per_call: Mapping[str, FloatArray] | None = None,
) -> TrafficPlan:
    """Route every request class of the workload through one option.

    Parameters
    ----------
    key : str
        Key path of the option in the scenario, for error messages.
    name : str
        The option's name (the backend name of a plain option).
    option : ApiOption, SelfHostedOption or HybridOption
        The option to plan.
    classes : dict of str to RequestClass
        The workload's request classes (one ``all`` class when it has none).
    usd_per_call : mapping of str to numpy.ndarray, optional
        Marginal cost of one call of each class on each backend [USD/call], shape
        (n_classes,); needed only by hybrids with ``choose`` routes.

    Returns
    -------
    TrafficPlan
    """
    backends = tuple(option.backends) if isinstance(option, HybridOption) else (name,)
    routes: dict[str, Route | None] = {
        c: option.route_for(c, rc) if isinstance(option, HybridOption) else None
        for c, rc in classes.items()
    }
    fixed: dict[str, _Path] = {}
    entries: dict[str, FloatArray] = {}
    chosen: dict[str, dict[str, float]] = {}
    try:
        for class_name, route in routes.items():
            if route is not None and route.choose is not None:
                continue
            fixed[class_name], entries[class_name] = _route_path(
                option, name, backends, route, class_name
            )
        if isinstance(option, HybridOption) and option.optimize is not None:
            if usd_per_call is None:  # pragma: no cover - the orchestrator passes them
                msg = "choose routes need the backends' marginal costs"
                raise ValueError(msg)
            chosen = _choose_shares(key, option, backends, classes, dict(fixed), usd_per_call)
            for class_name, shares in chosen.items():
                fixed[class_name], entries[class_name] = _route_path(
                    option, name, backends, routes[class_name], class_name, shares
                )
    except ValueError as exc:
        if isinstance(exc, ScenarioError):
            raise
        msg = f"{key}: {exc}"
        raise ScenarioError(msg) from None
    paths = []
    for class_name, request_class in classes.items():
        path, route = fixed[class_name], routes[class_name]
        if isinstance(option, HybridOption) and route is not None:
            path = _with_failover(option, backends, route, path, class_name, request_class)
        paths.append(path)
    return TrafficPlan(
        classes=tuple(classes),
        class_share=np.asarray([c.share for c in classes.values()], dtype=np.float64),
        backends=backends,
        calls=np.stack([p.calls for p in paths]),
        entry_share=np.stack([entries[c] for c in classes]),
        p_success=np.asarray([p.p_success if p.known else np.nan for p in paths]),
        p_false_accept=np.asarray([p.p_false_accept for p in paths]),
        p_human=np.asarray([p.p_human for p in paths]),
        p_unserved=np.asarray([p.p_unserved for p in paths]),
        verify_usd=np.asarray([p.verify_usd for p in paths]),
        human_usd=np.asarray([p.human_usd for p in paths]),
        false_accept_usd=np.asarray([p.false_accept_usd for p in paths]),
        route=tuple(_describe(routes[c], chosen.get(c)) for c in classes),
    )
