"""Standing in for a Go service (gqlgen cannot run here): a strawberry
federation subgraph serving that service's fields of the classroom demo,
`_entities` included, from the monolith's own data.

    python go_standin.py WORKSPACE_ROOT SERVICE LOG_FILE

SERVICE is `assignments` or `progress`. Like a port with a bug, the
assignments service writes `dueDate` with a `+00:00` offset where the
monolith writes `Z`. The progress service's `pointsEarned` is as unsteady as
the monolith's.
"""
import datetime
import enum
import random
import sys
import typing

sys.path.insert(0, sys.argv[1])

import strawberry  # noqa: E402
from graphql_http import answer_of, serve  # noqa: E402
from webapp import models  # noqa: E402

# The monolith's Time scalar is an RFC 3339 string; a String serves it here.
Time = str


def rfc3339(moment):
    return moment.astimezone(datetime.timezone.utc).isoformat().replace("+00:00", "Z")


def from_epoch(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)


@strawberry.federation.type(keys=["id"])
class Assignment:
    id: strawberry.ID

    def row(self):
        return models.get_assignment(self.id)

    @strawberry.field
    def title(self) -> str:
        return self.row().title

    @strawberry.field
    def created_date(self) -> typing.Optional[Time]:
        row = self.row()
        if row.created_at is not None:
            return rfc3339(from_epoch(row.created_at))
        return rfc3339(from_epoch(models.get_classroom(row.classroom_id).created_at))

    @strawberry.field
    def due_date(self) -> typing.Optional[Time]:
        due = self.row().due_date
        # The bug ferry must find: the offset is spelled +00:00, not Z.
        return None if due is None else due.astimezone(datetime.timezone.utc).isoformat()

    @strawberry.field
    def is_published(self) -> bool:
        return self.row().is_published

    @classmethod
    def resolve_reference(cls, id: strawberry.ID):
        return cls(id=id)


@strawberry.type
class AssignmentsQuery:
    @strawberry.field
    def assignment(self, id: strawberry.ID) -> typing.Optional[Assignment]:
        row = models.get_assignment(id)
        return Assignment(id=id) if row is not None and row.is_published else None


@strawberry.enum
class ProgressStatus(enum.Enum):
    NOT_STARTED = "not_started"
    STARTED = "started"
    COMPLETED = "completed"
    MASTERED = "mastered"


@strawberry.federation.type(keys=["id"])
class Progress:
    id: strawberry.ID

    @strawberry.field
    def points_earned(self) -> typing.Optional[int]:
        return random.randint(0, 10**9)

    @strawberry.field
    def status(self) -> typing.Optional[ProgressStatus]:
        return ProgressStatus(models.PROGRESS[self.id].status)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID):
        return cls(id=id)


@strawberry.type
class ProgressQuery:
    @strawberry.field
    def progress_for_user(self, kaid: strawberry.ID) -> typing.List[Progress]:
        return [Progress(id=p.id) for p in models.progress_for_user(kaid)]


SERVICES = {
    "assignments": (AssignmentsQuery, [Assignment]),
    "progress": (ProgressQuery, [Progress]),
}
query, types = SERVICES[sys.argv[2]]
schema = strawberry.federation.Schema(query=query, types=types)


def execute(query_text, variables, operation_name, kaid):
    result = schema.execute_sync(
        query_text, variable_values=variables, operation_name=operation_name
    )
    return answer_of(result)


serve(execute, sys.argv[3] if len(sys.argv) > 3 else None)
