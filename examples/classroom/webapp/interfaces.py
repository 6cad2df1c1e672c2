import datetime

import graphene

from webapp.scalars import Time


class Timestamped(graphene.Interface):
    """Anything that records when it was created."""

    created_date = Time(description="When this object was created.")

    def resolve_created_date(parent, info):
        # Legacy models store seconds since the epoch in `created_at`.
        if parent.created_at is None:
            return None
        return datetime.datetime.fromtimestamp(parent.created_at, datetime.timezone.utc)
