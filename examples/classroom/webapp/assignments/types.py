import datetime

import graphene

from webapp import models
from webapp.assignments.resolvers import classroom_for_assignment
from webapp.interfaces import Timestamped
from webapp.scalars import Time
from webapp.users.schema import User


class AssignmentStats(graphene.ObjectType):
    completed_count = graphene.Int(required=True)
    total_count = graphene.Int(required=True)


class Assignment(graphene.ObjectType):
    """Content a teacher assigned to a classroom."""

    class Meta:
        interfaces = (Timestamped,)

    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    due_date = Time()
    due_at = Time(
        deprecation_reason="Use dueDate.",
        resolver=lambda assignment, info: assignment.due_date,
    )
    is_published = graphene.Boolean(required=True)
    stats = graphene.Field(AssignmentStats)
    classroom = graphene.Field(
        "webapp.classrooms.schema.Classroom", resolver=classroom_for_assignment
    )
    assigned_by = graphene.Field(User)
    content_ids = graphene.List(graphene.NonNull(graphene.String), required=True)

    def resolve_created_date(parent, info):
        if parent.created_at is not None:
            return datetime.datetime.fromtimestamp(
                parent.created_at, datetime.timezone.utc
            )
        # Assignments imported before 2019 have no creation time; the
        # classroom's is the best we have.
        classroom = models.get_classroom(parent.classroom_id)
        return datetime.datetime.fromtimestamp(
            classroom.created_at, datetime.timezone.utc
        )

    def resolve_stats(parent, info):
        classroom = models.get_classroom(parent.classroom_id)
        done = {
            (p.kaid, p.content_id)
            for p in models.progress_for_content(parent.content_ids)
            if p.status in ("completed", "mastered")
        }
        total = len(classroom.student_kaids) * len(parent.content_ids)
        return AssignmentStats(completed_count=len(done), total_count=total)

    @staticmethod
    def resolve_assigned_by(parent, info):
        return models.get_user(parent.assigned_by_kaid)
