import graphene

from webapp import models
from webapp.mutation_base import BaseMutation, MutationError
from webapp.scalars import Time


def current_kaid(info):
    """The kaid of the signed-in user, from the request context."""
    context = info.context or {}
    return context.get("kaid")


class UserRole(graphene.Enum):
    STUDENT = "student"
    TEACHER = "teacher"
    ADMIN = "admin"


class User(graphene.ObjectType):
    """A learner, teacher or admin account."""

    kaid = graphene.ID(required=True)
    nickname = graphene.String()
    email = graphene.String()
    joined_date = Time()
    role = graphene.Field(UserRole)
    classrooms = graphene.List(
        graphene.NonNull("webapp.classrooms.schema.Classroom"), required=True
    )

    def resolve_email(parent, info):
        # Only the account itself and its teachers may see the address.
        viewer = models.get_user(current_kaid(info))
        if viewer is None:
            return None
        if viewer.kaid == parent.kaid or viewer.role in ("teacher", "admin"):
            return parent.email
        return None

    def resolve_classrooms(parent, info):
        return [models.get_classroom(cid) for cid in parent.classroom_ids]


class UserQueries:
    user = graphene.Field(User, kaid=graphene.ID(required=True))
    me = graphene.Field(User)

    def resolve_user(root, info, kaid):
        return models.get_user(kaid)

    @staticmethod
    def resolve_me(root, info):
        return models.get_user(current_kaid(info))


class UpdateNickname(BaseMutation):
    class Meta:
        name = "UpdateNicknamePayload"

    class Arguments:
        kaid = graphene.ID(required=True)
        nickname = graphene.String(required=True)

    user = graphene.Field(User)

    @classmethod
    def mutate_and_get_payload(cls, root, info, kaid, nickname):
        if current_kaid(info) != kaid:
            raise MutationError("You can only rename yourself.")
        nickname = nickname.strip()
        if not 1 <= len(nickname) <= 40:
            raise MutationError("Nicknames are 1 to 40 characters long.")
        user = models.get_user(kaid)
        user.nickname = nickname
        return cls(user=user, errors=[])
