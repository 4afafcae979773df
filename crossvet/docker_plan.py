"""The plan of a container run. With a Go on this machine it is exactly the local run's plan (the
planner merges equivalent jobs with `go list`); without one, the planner's plan from the image's
ports, with only the merges that need no `go list`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from checker import toolchain
from checker.toolchain import Toolchain
from crossvet import planning
from crossvet.errors import InfraError
from matrix import equivalence
from matrix.options import CheckOptions
from matrix.plan import Plan
from matrix.planner import PlanInputs, make_plan
from matrix.shards import shard_of
from matrix.targets import Port

LocalPlanner = Callable[..., Plan]  # workflow.make_plan(opts, tc, env, local=False)


def docker_plan(opts: CheckOptions, env: Mapping[str, str], ports: tuple[Port, ...],
                local_planner: LocalPlanner) -> Plan:
    try:
        tc: Toolchain = toolchain.find(env, opts.go)
    except InfraError:
        text, source = planning.goreleaser_file(opts)
        plan = make_plan(opts, PlanInputs(ports=ports, goreleaser_text=text,
                                          goreleaser_source=source))
        plan = equivalence.merge(plan)
        plan = replace(plan, notes=(*plan.notes, "no go on this machine: jobs that `go list` "
                                    "would show to be equivalent are not merged"))
        return shard_of(plan, opts.shard) if opts.shard else plan
    return local_planner(opts, tc, env, local=False)
