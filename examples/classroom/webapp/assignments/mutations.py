import graphene

from webapp import models
from webapp.assignments.types import Assignment
from webapp.scalars import Time
from webapp.users.schema import current_kaid


class CreateAssignmentInput(graphene.InputObjectType):
    classroom_id = graphene.ID(required=True)
    title = graphene.String(required=True)
    content_ids = graphene.List(graphene.NonNull(graphene.String), required=True)
    due_date = Time()
    is_published = graphene.Boolean(default_value=False)


class CreateAssignmentPayload(graphene.ObjectType):
    assignment = graphene.Field(Assignment)
    errors = graphene.List(graphene.NonNull(graphene.String), required=True)


class CreateAssignment(graphene.Mutation):
    class Arguments:
        input = CreateAssignmentInput(required=True)

    Output = CreateAssignmentPayload

    @classmethod
    def mutate(cls, root, info, input):
        teacher = models.get_user(current_kaid(info))
        if teacher is None or teacher.role != "teacher":
            return CreateAssignmentPayload(errors=["Only teachers can assign content."])
        return cls.perform_mutation(teacher, input)

    @classmethod
    def perform_mutation(cls, teacher, input):
        classroom = models.get_classroom(input.classroom_id)
        if classroom is None or classroom.teacher_kaid != teacher.kaid:
            return CreateAssignmentPayload(errors=["No such classroom."])
        if not input.content_ids:
            return CreateAssignmentPayload(errors=["Pick at least one item."])
        assignment = models.AssignmentData(
            id=models.next_id("asg"),
            classroom_id=classroom.id,
            title=input.title,
            assigned_by_kaid=teacher.kaid,
            content_ids=list(input.content_ids),
            created_at=models.now().timestamp(),
            due_date=input.due_date,
            is_published=bool(input.is_published),
        )
        models.ASSIGNMENTS[assignment.id] = assignment
        return CreateAssignmentPayload(assignment=assignment, errors=[])
