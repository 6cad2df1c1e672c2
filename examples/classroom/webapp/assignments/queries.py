import graphene

from webapp.assignments import resolvers
from webapp.assignments.types import Assignment


class AssignmentQueries:
    assignment = graphene.Field(
        Assignment,
        id=graphene.ID(required=True),
        description="Look up a published assignment by its id.",
        resolver=resolvers.get_assignment,
    )
    assignments_for_classroom = graphene.List(
        graphene.NonNull(Assignment),
        required=True,
        classroom_id=graphene.ID(required=True),
        first=graphene.Int(default_value=10),
        resolver=resolvers.assignments_for_classroom,
    )
