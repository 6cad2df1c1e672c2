"""The demo's graphene monolith (examples/classroom/webapp) over HTTP.

    python monolith.py WORKSPACE_ROOT LOG_FILE

The signed-in user comes from the X-Kaid header, as the monolith's request
context would carry it. `Progress.pointsEarned` stands in for a field that
reads a clock or a cache: a middleware makes it differ on every request,
so that ferry must report it as noisy.
"""
import random
import sys

sys.path.insert(0, sys.argv[1])

from graphql_http import answer_of, serve  # noqa: E402
from webapp.schema import schema  # noqa: E402


def unsteady_points(next_resolver, root, info, **args):
    if info.parent_type.name == "Progress" and info.field_name == "pointsEarned":
        return random.randint(0, 10**9)
    return next_resolver(root, info, **args)


def execute(query, variables, operation_name, kaid):
    result = schema.execute(
        query,
        variable_values=variables,
        operation_name=operation_name,
        context_value={"kaid": kaid},
        middleware=[unsteady_points],
    )
    return answer_of(result)


serve(execute, sys.argv[2] if len(sys.argv) > 2 else None)
