"""Plain resolver functions, wired up with `Field(..., resolver=...)`."""
from webapp import models


def get_assignment(root, info, id):
    assignment = models.get_assignment(id)
    if assignment is None or not assignment.is_published:
        # Drafts are only visible through the classroom's teacher view.
        return None
    return assignment


def assignments_for_classroom(root, info, classroom_id, first=10):
    assignments = models.assignments_for_classroom(classroom_id)
    assignments.sort(key=lambda a: a.due_date or models.now())
    return assignments[:first]


def classroom_for_assignment(assignment, info):
    return models.get_classroom(assignment.classroom_id)
