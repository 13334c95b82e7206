"""Admin of the wellbeing configuration only: warning levels and screening instruments.

Nothing sealed is registered (files, screenings, referrals, level changes, the break-glass
log, bullying cases): the admin, superusers included, shows none of it. The counsellors
keep files on the /wellbeing/ pages; the bureau reads counts there.
"""

from django.contrib import admin

from .models import Instrument, WarningLevel


@admin.register(WarningLevel)
class WarningLevelAdmin(admin.ModelAdmin):
    list_display = ("rank", "name", "is_crisis", "is_active")
    list_display_links = ("name",)


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ("name", "min_score", "max_score", "is_active")
