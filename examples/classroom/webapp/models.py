"""In-memory storage standing in for the datastore.

The GraphQL layer only ever reads and writes through these helpers, the way
the real monolith goes through its model classes.
"""
import datetime
import itertools
from dataclasses import dataclass, field
from typing import Dict, List, Optional

UTC = datetime.timezone.utc


def _ts(year, month, day, hour=0, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=UTC)


@dataclass
class UserData:
    kaid: str
    nickname: str
    email: str
    joined_date: datetime.datetime
    role: str  # "student" | "teacher" | "admin"
    classroom_ids: List[str] = field(default_factory=list)


@dataclass
class AddressData:
    line_1: str
    line_2: Optional[str]
    city: str
    postal_code: str


@dataclass
class ClassroomData:
    id: str
    name: str
    teacher_kaid: str
    student_kaids: List[str]
    created_at: float  # epoch seconds, as stored by the legacy model
    class_code: str
    school_address: Optional[AddressData] = None


@dataclass
class AssignmentData:
    id: str
    classroom_id: str
    title: str
    assigned_by_kaid: str
    content_ids: List[str]
    created_at: Optional[float]  # None for assignments imported before 2019
    due_date: Optional[datetime.datetime] = None
    is_published: bool = False


@dataclass
class ProgressData:
    id: str
    kaid: str
    content_id: str
    status: str  # "not_started" | "started" | "completed" | "mastered"
    points_earned: int
    last_attempted_at: Optional[datetime.datetime]


USERS: Dict[str, UserData] = {
    "kaid_teacher_1": UserData(
        kaid="kaid_teacher_1",
        nickname="Ms. Rivera",
        email="rivera@school.example",
        joined_date=_ts(2016, 8, 22),
        role="teacher",
        classroom_ids=["class_algebra"],
    ),
    "kaid_student_1": UserData(
        kaid="kaid_student_1",
        nickname="sam",
        email="sam@students.example",
        joined_date=_ts(2021, 9, 1),
        role="student",
        classroom_ids=["class_algebra"],
    ),
    "kaid_student_2": UserData(
        kaid="kaid_student_2",
        nickname="noor",
        email="noor@students.example",
        joined_date=_ts(2022, 1, 10),
        role="student",
        classroom_ids=["class_algebra"],
    ),
}

CLASSROOMS: Dict[str, ClassroomData] = {
    "class_algebra": ClassroomData(
        id="class_algebra",
        name="Algebra I, period 3",
        teacher_kaid="kaid_teacher_1",
        student_kaids=["kaid_student_1", "kaid_student_2"],
        created_at=_ts(2023, 8, 28, 9).timestamp(),
        class_code="ALG3XK",
        school_address=AddressData(
            line_1="1200 Mission St",
            line_2="Room 214",
            city="San Francisco",
            postal_code="94103",
        ),
    ),
}

ASSIGNMENTS: Dict[str, AssignmentData] = {
    "asg_1": AssignmentData(
        id="asg_1",
        classroom_id="class_algebra",
        title="Solving linear equations",
        assigned_by_kaid="kaid_teacher_1",
        content_ids=["x2f8bb11e", "xa1c37b45"],
        created_at=_ts(2023, 9, 4, 15, 30).timestamp(),
        due_date=_ts(2023, 9, 11, 23, 59),
        is_published=True,
    ),
    "asg_2": AssignmentData(
        id="asg_2",
        classroom_id="class_algebra",
        title="Graphing slope",
        assigned_by_kaid="kaid_teacher_1",
        content_ids=["x7d0e1f22"],
        created_at=None,
        due_date=None,
        is_published=False,
    ),
}

PROGRESS: Dict[str, ProgressData] = {
    "prg_1": ProgressData(
        id="prg_1",
        kaid="kaid_student_1",
        content_id="x2f8bb11e",
        status="completed",
        points_earned=120,
        last_attempted_at=_ts(2023, 9, 6, 18, 2),
    ),
    "prg_2": ProgressData(
        id="prg_2",
        kaid="kaid_student_1",
        content_id="xa1c37b45",
        status="started",
        points_earned=40,
        last_attempted_at=_ts(2023, 9, 7, 17, 45),
    ),
    "prg_3": ProgressData(
        id="prg_3",
        kaid="kaid_student_2",
        content_id="x2f8bb11e",
        status="mastered",
        points_earned=200,
        last_attempted_at=_ts(2023, 9, 5, 20, 11),
    ),
}

_ids = itertools.count(100)


def next_id(prefix):
    return "%s_%d" % (prefix, next(_ids))


def get_user(kaid):
    return USERS.get(kaid)


def get_classroom(classroom_id):
    return CLASSROOMS.get(classroom_id)


def get_assignment(assignment_id):
    return ASSIGNMENTS.get(assignment_id)


def assignments_for_classroom(classroom_id):
    return [a for a in ASSIGNMENTS.values() if a.classroom_id == classroom_id]


def progress_for_user(kaid):
    return [p for p in PROGRESS.values() if p.kaid == kaid]


def progress_for_content(content_ids):
    wanted = set(content_ids)
    return [p for p in PROGRESS.values() if p.content_id in wanted]


def now():
    return datetime.datetime.now(UTC)
