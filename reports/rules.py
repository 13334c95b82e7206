"""Who may download a ledger export: ``rules`` permissions of the reports app, asked as
``user.has_perm("reports.download_exportjob", job)``. A job a user may not download is
"not found" (404) to them, as rows out of scope are everywhere."""

import rules
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from accounts.rules import is_bureau, is_school_manager

from .models import ExportJob


@rules.predicate
def is_requester(user: User | AnonymousUser, job: ExportJob | None) -> bool:
    return job is not None and user.is_authenticated and job.requested_by_id == user.pk


@rules.predicate
def covers_job_scope(user: User | AnonymousUser, job: ExportJob | None) -> bool:
    """The user's scope holds the whole job's scope (all schools: every job)."""
    if not user.is_authenticated:
        return False
    mine = user.school_ids()
    if mine is None:
        return True
    return (
        job is not None
        and job.scope_school_ids is not None
        and set(job.scope_school_ids) <= set(mine)
    )


# The requester, or bureau or school staff whose scope holds the whole job's scope.
rules.add_perm(
    "reports.download_exportjob",
    is_requester | ((is_bureau | is_school_manager) & covers_job_scope),
)
