import asyncio

import graphene

from webapp import models
from webapp.scalars import Time
from webapp.users.schema import User

# Subscribers to progressUpdated, by kaid.
_listeners = {}


class ProgressStatus(graphene.Enum):
    """Where a learner is on one piece of content."""

    NOT_STARTED = "not_started"
    STARTED = "started"
    COMPLETED = "completed"
    MASTERED = "mastered"

    @property
    def description(self):
        if self == ProgressStatus.MASTERED:
            return "Passed the mastery challenge for the content."
        return None


# Statuses written by the 2018 exercise engine.
_LEGACY_STATUSES = {"in_progress": "started", "proficient": "mastered"}


class Progress(graphene.ObjectType):
    id = graphene.ID(required=True)
    user = graphene.Field(User)
    content_id = graphene.String(required=True)
    status = graphene.Field(ProgressStatus)
    points_earned = graphene.Int()
    last_attempted_at = Time()

    def resolve_user(parent, info):
        return models.get_user(parent.kaid)

    def resolve_status(parent, info):
        return _LEGACY_STATUSES.get(parent.status, parent.status)


class ProgressQueries:
    progress_for_user = graphene.List(
        graphene.NonNull(Progress), required=True, kaid=graphene.ID(required=True)
    )

    def resolve_progress_for_user(root, info, kaid):
        return sorted(models.progress_for_user(kaid), key=lambda p: p.content_id)


class RecordProgress(graphene.Mutation):
    class Arguments:
        kaid = graphene.ID(required=True)
        content_id = graphene.String(required=True)
        status = ProgressStatus(required=True)
        points_earned = graphene.Int(default_value=0)

    progress = graphene.Field(Progress)

    def mutate(root, info, kaid, content_id, status, points_earned=0):
        existing = [
            p for p in models.progress_for_user(kaid) if p.content_id == content_id
        ]
        if existing:
            progress = existing[0]
            progress.points_earned += points_earned
        else:
            progress = models.ProgressData(
                id=models.next_id("prg"),
                kaid=kaid,
                content_id=content_id,
                status=status.value,
                points_earned=points_earned,
                last_attempted_at=None,
            )
            models.PROGRESS[progress.id] = progress
        progress.status = status.value
        progress.last_attempted_at = models.now()
        for queue in _listeners.get(kaid, []):
            queue.put_nowait(progress)
        return RecordProgress(progress=progress)


class ProgressSubscriptions:
    progress_updated = graphene.Field(Progress, kaid=graphene.ID(required=True))

    async def subscribe_progress_updated(root, info, kaid):
        queue = asyncio.Queue()
        _listeners.setdefault(kaid, []).append(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            _listeners[kaid].remove(queue)
