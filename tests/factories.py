"""factory_boy factories for the core models."""

import datetime

import factory
from django.utils import timezone

from accounts.models import User
from drills.models import Drill
from education.models import CounsellingSession, EducationActivity
from hazards.models import Hazard
from inspections.models import Inspection
from schools.models import Department, School, SchoolAssignment, SchoolClass, Student


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"测试学校{n}")
    code = factory.Sequence(lambda n: f"T{n:05d}")
    school_type = School.SchoolType.PRIMARY
    town = School.Town.XINI


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    role = User.Role.TEACHER
    password = factory.PostGenerationMethodCall("set_password", "pass-1234")

    @factory.post_generation
    def schools(self, create, extracted, **kwargs):
        if create and extracted:
            self.schools.set(extracted)
        if create:
            self.save()


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"部门{n}")
    kind = Department.Kind.POLICE


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolAssignment

    school = factory.SubFactory(SchoolFactory)
    user = factory.SubFactory(UserFactory, role=User.Role.BUREAU_STAFF, scope_all_schools=True)
    kind = SchoolAssignment.Kind.CADRE
    start_date = datetime.date(2024, 1, 1)


class HazardFactory(factory.django.DjangoModelFactory):
    """A hazard written directly (no workflow); use hazards.services for transitions."""

    class Meta:
        model = Hazard

    school = factory.SubFactory(SchoolFactory)
    title = factory.Sequence(lambda n: f"灭火器过期{n}")
    category = Hazard.Category.FIRE
    source = Hazard.Source.SELF_INSPECTION
    level = Hazard.Level.GENERAL
    reported_at = factory.LazyFunction(timezone.now)


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    kind = Inspection.Kind.JOINT
    title = "联合检查"
    school = factory.SubFactory(SchoolFactory)
    date = datetime.date(2024, 5, 10)


class DrillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Drill

    school = factory.SubFactory(SchoolFactory)
    drill_type = Drill.DrillType.FIRE
    date = datetime.date(2024, 4, 10)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EducationActivity

    school = factory.SubFactory(SchoolFactory)
    kind = EducationActivity.Kind.FLAG_SPEECH
    title = "国旗下讲话"
    date = datetime.date(2024, 3, 4)


class CounsellingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CounsellingSession

    school = factory.SubFactory(SchoolFactory)
    kind = CounsellingSession.Kind.INDIVIDUAL
    date = datetime.date(2024, 10, 9)


class SchoolClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolClass

    school = factory.SubFactory(SchoolFactory)
    grade = 3
    name = factory.Sequence(lambda n: f"三年级({n})班")


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    school_class = factory.SubFactory(SchoolClassFactory)
    school = factory.LazyAttribute(lambda s: s.school_class.school)
    name = factory.Sequence(lambda n: f"学生{n}")
    student_number = factory.Sequence(lambda n: f"S{n:06d}")
    guardian_name = "家长"
    guardian_phone = "13812341234"


def sealed_record(school, marker="", **student_kwargs):
    """A wellbeing file of a new student of ``school`` holding ``marker`` in every sealed
    text: plan, a screening's details, a referral's notes (written directly, not through the
    services, so no permission is needed to build it)."""
    from wellbeing.models import Instrument, Referral, Screening, StudentRecord, WarningLevel

    student = StudentFactory(school_class=SchoolClassFactory(school=school), **student_kwargs)
    record = StudentRecord.objects.create(
        student=student, school=school, level=WarningLevel.objects.get(rank=2), plan=marker
    )
    Screening.objects.create(
        record=record,
        instrument=Instrument.objects.order_by("id").first(),
        date=datetime.date(2025, 3, 3),
        score=60,
        details=marker,
    )
    Referral.objects.create(
        record=record, institution="旗医院", referred_on=datetime.date(2025, 3, 5), notes=marker
    )
    return record
