"""The monolith's GraphQL schema, assembled from every component."""
import graphene

from webapp.assignments.mutations import CreateAssignment
from webapp.assignments.queries import AssignmentQueries
from webapp.classrooms.schema import ClassroomQueries
from webapp.progress.schema import ProgressQueries, ProgressSubscriptions, RecordProgress
from webapp.users.schema import UpdateNickname, UserQueries


class Query(UserQueries, AssignmentQueries, ClassroomQueries, ProgressQueries, graphene.ObjectType):
    pass


class Mutation(graphene.ObjectType):
    create_assignment = CreateAssignment.Field()
    update_nickname = UpdateNickname.Field()
    record_progress = RecordProgress.Field()


class Subscription(ProgressSubscriptions, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation, subscription=Subscription)
