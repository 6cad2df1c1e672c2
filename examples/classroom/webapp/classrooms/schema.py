import graphene

from webapp import models
from webapp.assignments.types import Assignment
from webapp.interfaces import Timestamped
from webapp.users.schema import User, current_kaid


class Address(graphene.ObjectType):
    line_1 = graphene.String(required=True)
    line_2 = graphene.String()
    city = graphene.String(required=True)
    postal_code = graphene.String(required=True)


class Classroom(graphene.ObjectType):
    """A teacher's class and the students in it."""

    class Meta:
        interfaces = (Timestamped,)

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    teacher = graphene.Field(User)
    students = graphene.List(
        graphene.NonNull(User), required=True, first=graphene.Int(default_value=20)
    )
    assignments = graphene.List(graphene.NonNull(Assignment), required=True)
    class_code = graphene.String(
        name="joinCode", description="Code students type in to join the class."
    )
    school_address = graphene.Field(Address)

    def resolve_teacher(parent, info):
        return models.get_user(parent.teacher_kaid)

    def resolve_students(parent, info, first=20):
        return [models.get_user(kaid) for kaid in parent.student_kaids[:first]]

    def resolve_assignments(parent, info):
        assignments = models.assignments_for_classroom(parent.id)
        if current_kaid(info) != parent.teacher_kaid:
            assignments = [a for a in assignments if a.is_published]
        return assignments

    def resolve_class_code(parent, info):
        # Only the teacher hands the code out.
        if current_kaid(info) != parent.teacher_kaid:
            return None
        return parent.class_code


class ClassroomQueries:
    classroom = graphene.Field(Classroom, id=graphene.ID(required=True))

    def resolve_classroom(root, info, id):
        return models.get_classroom(id)
