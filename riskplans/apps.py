from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskPlansConfig(AppConfig):
    name = "riskplans"
    verbose_name = _("风险分级巡检计划")
