"""Custom scalars shared by every part of the schema."""
import datetime

import graphene
from graphql.language import ast


def _parse(value):
    # RFC 3339, the format the Go services (gqlgen's Time) speak as well.
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    parsed = datetime.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("Time values need a UTC offset: %r" % value)
    return parsed


class Time(graphene.Scalar):
    """An instant as an RFC 3339 string, e.g. 2023-09-04T15:30:00Z."""

    @staticmethod
    def serialize(dt):
        if isinstance(dt, (int, float)):
            dt = datetime.datetime.fromtimestamp(dt, datetime.timezone.utc)
        dt = dt.astimezone(datetime.timezone.utc)
        return dt.isoformat().replace("+00:00", "Z")

    @classmethod
    def parse_literal(cls, node, _variables=None):
        if isinstance(node, ast.StringValueNode):
            return _parse(node.value)
        return graphene.types.scalars.Undefined

    @staticmethod
    def parse_value(value):
        return _parse(value)
