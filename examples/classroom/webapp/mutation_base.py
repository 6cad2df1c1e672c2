"""Shared plumbing for mutations.

Subclasses implement `mutate_and_get_payload`; the inherited `mutate` turns a
`MutationError` into the payload's `errors` list instead of a GraphQL error.
"""
import graphene


class MutationError(Exception):
    pass


class BaseMutation(graphene.Mutation):
    class Meta:
        abstract = True

    errors = graphene.List(graphene.NonNull(graphene.String), required=True)

    @classmethod
    def mutate(cls, root, info, **kwargs):
        try:
            return cls.mutate_and_get_payload(root, info, **kwargs)
        except MutationError as e:
            return cls(errors=[str(e)])

    @classmethod
    def mutate_and_get_payload(cls, root, info, **kwargs):
        raise NotImplementedError(cls.__name__)
