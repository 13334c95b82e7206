"""Settings for Campus Safety, read from environment variables (django-environ).

Every value a deployment changes comes from the environment; see README.md for the list.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; real environment variables win

DEBUG = env.bool("DEBUG", default=False)
# A development default only when DEBUG: production must set SECRET_KEY or fail loudly.
SECRET_KEY = env(
    "SECRET_KEY", default="dev-insecure-campus-safety" if DEBUG else environ.Env.NOTSET
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",  # intcomma: counts grouped by commas (zh-hans groups by none)
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "rest_framework",
    "knox",  # expiring, hashed API tokens (REST_KNOX below)
    "axes",  # sign-in lock-out (AXES_* below)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",  # Excel imports with a preview and row errors
    "core",
    "accounts",
    "schools",
    "inspections",
    "hazards",
    "drills",
    "education",
    "supervision",
    "wellbeing",  # the sealed mental-health domain
    "risks",
    "riskplans",
    "reports",
    "notifications",
    "demo",  # last: load_demo and its builders; nothing imports it
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PrivateCacheMiddleware",  # after WhiteNoise: static files stay cacheable
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",  # a signed-in user's own language
    "accounts.middleware.ForcePasswordChangeMiddleware",  # an admin-set password first
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lock-out into its 429 response
]

ROOT_URLCONF = "campussafety.urls"
WSGI_APPLICATION = "campussafety.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The local demo has the web server and a Celery worker writing one file: take the write
    # lock at BEGIN and wait for it, instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out sign-in
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# --- Sign-in: lock-out (django-axes), throttling, client address ------------------------
# Reverse proxies in front of Django that append the client's address to X-Forwarded-For
# (nginx's $proxy_add_x_forwarded_for). 0: the connecting address (REMOTE_ADDR) is the
# client and X-Forwarded-For is ignored, since anybody can send it. See core/clientip.py.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# A user name is locked at one client address after this many wrong passwords in a row
# (web, admin and token endpoint alike), for AXES_COOLOFF_TIME, or until an admin unlocks
# it (admin › 用户 › 解除登录锁定, or `manage.py axes_reset_username NAME`). Locking the
# name+address pair, not the name, keeps a stranger from locking a colleague out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_TIME", default=0.5)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Tries while locked (the right password included) do not push the cool-off further out.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_COOLOFF_MESSAGE = _("登录失败次数过多，账号已暂时锁定。请稍后再试，或请管理员解除锁定。")
AXES_PERMALOCK_MESSAGE = AXES_COOLOFF_MESSAGE
AXES_HTTP_RESPONSE_CODE = 429
# Sign-in attempts (right or wrong, any user name) per client address, web and API:
# "<count>/<s|m|h|d>". It slows a guesser who tries many names from one address.
LOGIN_RATE_LIMIT = env("LOGIN_RATE_LIMIT", default="30/m")
# Password-reset requests per client address (each may send a mail): "<count>/<s|m|h|d>".
PASSWORD_RESET_RATE_LIMIT = env("PASSWORD_RESET_RATE_LIMIT", default="5/h")
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=24 * 3600)  # seconds

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Photos and exports (they show people): outside MEDIA_ROOT, never at a public URL; views
# that check who asks hand them out (core.files). "s3": an S3-compatible bucket shared by
# several web servers (django-storages; keep the bucket private).
PRIVATE_STORAGE_BACKEND = env("PRIVATE_STORAGE_BACKEND", default="filesystem")
if PRIVATE_STORAGE_BACKEND == "s3":
    _s3_options = {
        "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
        "region_name": env("AWS_S3_REGION_NAME", default=None),
        "access_key": env("AWS_ACCESS_KEY_ID", default=None),
        "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
        "location": env("AWS_LOCATION", default=""),
        "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default=None),
        "default_acl": "private",
        "file_overwrite": False,
    }
    PRIVATE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {key: value for key, value in _s3_options.items() if value is not None},
    }
elif PRIVATE_STORAGE_BACKEND == "filesystem":
    PRIVATE_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("PRIVATE_ROOT", default=VAR_DIR / "private")},
    }
else:
    raise ImproperlyConfigured("PRIVATE_STORAGE_BACKEND must be 'filesystem' or 's3'.")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
    "private": PRIVATE_STORAGE,
}
# nginx's internal location for private files (e.g. /_private/): views answer with
# X-Accel-Redirect and nginx sends the file. Empty: Django streams it (README, Production).
PRIVATE_FILES_X_ACCEL_PREFIX = env("PRIVATE_FILES_X_ACCEL_PREFIX", default="")
# The cache counts public 随手拍 submissions, sign-in attempts and API requests per client
# (SNAPSHOT_RATE_LIMIT, LOGIN_RATE_LIMIT, API_THROTTLE_*). locmem is per process: in
# production (several gunicorn workers) set CACHE_URL to Redis, e.g. redis://127.0.0.1:6379/1.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="campus-safety@localhost")

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",  # knox: "Token …", tokens expire
        "accounts.authentication.SessionAuthentication",  # CSRF refusal translated
    ],
    # Per signed-in user and per anonymous client address (core.clientip); "login" is the
    # token endpoint's own limit. 429 with a translated message (core.exceptions).
    "DEFAULT_THROTTLE_CLASSES": [
        "core.throttling.AnonRateThrottle",
        "core.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="60/m"),
        "user": env("API_THROTTLE_USER", default="600/m"),
        "login": LOGIN_RATE_LIMIT,
    },
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON nested deeper than core.parsers.MAX_JSON_DEPTH is a 400.
    # All three are accepted (older clients post forms); the schema documents JSON only, and
    # multipart where a viewset takes files (core.parsers.FILE_PARSERS, core.schema).
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.exceptions.api_exception_handler",
}
# API tokens (django-rest-knox): stored hashed, valid API_TOKEN_TTL_HOURS from when they were
# issued; a client asks for a new one when it gets 401. Revoked when the user's password
# changes or the user is deactivated (accounts/signals.py).
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.float("API_TOKEN_TTL_HOURS", default=24)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Campus Safety API",
    "DESCRIPTION": "校园安全管理平台 REST API: schools, hazard ledger and workflow, "
    "inspections and cross-inspection rounds, drills, education, remediation projects, "
    "notifications, exports, incremental sync with deletions, outbound webhooks, yearly "
    "reports. Client guide (authentication, scoping, sync, webhooks, errors, limits, "
    "versioning): [docs/api.md](/api/guide/).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Request and response components apart (a client's "Hazard" it reads is not the body it
    # sends), and error bodies typed (core.schema adds them to every operation).
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.ascii_enum_names",
    ],
    "ENUM_NAME_OVERRIDES": {
        "HazardStatusEnum": "hazards.models.Hazard.Status",
        "InspectionStatusEnum": "inspections.models.Inspection.Status",
        "RoundStatusEnum": "inspections.models.CrossInspectionRound.Status",
        "InspectionKindEnum": "inspections.models.Inspection.Kind",
        "PlannableKindEnum": "inspections.services.PLANNABLE_CHOICES",
        "RollKindEnum": "supervision.models.RollKind",
        "CheckInStatusEnum": "supervision.models.CheckIn.Status",
        "PatrolStatusEnum": "supervision.models.Patrol.Status",
        "DrillTypeEnum": "drills.models.Drill.DrillType",
        "IncidentKindEnum": "drills.models.Incident.Kind",
        "IncidentLevelEnum": "drills.models.Incident.Level",
        "HazardLevelEnum": "hazards.models.Hazard.Level",
        "HazardCategoryEnum": "hazards.models.Hazard.Category",
        "RemediationCategoryEnum": "hazards.models.RemediationProject.Category",
    },
}

# --- Celery ---------------------------------------------------------------------------
# Default broker needs no server: kombu's filesystem transport under var/celery/.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }
    for _folder in (_queue_dir, VAR_DIR / "celery" / "processed", VAR_DIR / "celery" / "control"):
        _folder.mkdir(parents=True, exist_ok=True)
CELERY_RESULT_BACKEND = None  # nothing reads task results
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
# Seconds a background export may run before Celery stops it; a job still "running" a
# minute after that lost its worker and is marked failed (reports.tasks, every minute).
EXPORT_TIME_LIMIT = env.int("EXPORT_TIME_LIMIT", default=CELERY_TASK_TIME_LIMIT)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
DJANGO_CELERY_BEAT_TZ_AWARE = True
# Redis hands an unacknowledged task (acks_late) to another worker after this many seconds:
# how long the work of a killed worker waits. It must outlast the longest time a worker
# holds a task: a retry's countdown (NOTIFY_RETRY_BACKOFF_MAX; Redis counts it as unacked)
# plus the longest task time limit (CELERY_TASK_TIME_LIMIT, EXPORT_TIME_LIMIT), or a task
# would run twice. Default 300 + 300 + 60 s margin = 11 minutes (docs/decisions.md).
CELERY_VISIBILITY_TIMEOUT = env.int(
    "CELERY_VISIBILITY_TIMEOUT",
    default=env.int("NOTIFY_RETRY_BACKOFF_MAX", default=300)  # the same default as below
    + max(CELERY_TASK_TIME_LIMIT, EXPORT_TIME_LIMIT)
    + 60,
)
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With late acks, a task running when the broker connection drops is redelivered anyway;
# cancelling it avoids running it twice at the same time.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True

# --- Product settings -----------------------------------------------------------------
# Default rectification deadline in days by hazard level (domain-rules §1.3: no national
# number; 7 days for general hazards is the suggested configurable default).
HAZARD_DEFAULT_DEADLINE_DAYS = {
    "general": env.int("HAZARD_DEADLINE_GENERAL_DAYS", default=7),
    "major": env.int("HAZARD_DEADLINE_MAJOR_DAYS", default=30),
}
HAZARD_PHOTO_MAX_BYTES = env.int("HAZARD_PHOTO_MAX_BYTES", default=15 * 1024 * 1024)
# One request's photos together (core.images.check_photo_budget, read from the headers
# before anything is decoded): nine 12-megapixel phone photos fit, nine 40 MP ones do not.
PHOTO_REQUEST_MAX_PIXELS = env.int("PHOTO_REQUEST_MAX_PIXELS", default=120_000_000)
PHOTO_REQUEST_MAX_BYTES = env.int("PHOTO_REQUEST_MAX_BYTES", default=60 * 1024 * 1024)
# Ledger exports with more rows than this run as a Celery job (ExportJob) instead of streaming.
HAZARD_EXPORT_ASYNC_ROWS = env.int("HAZARD_EXPORT_ASYNC_ROWS", default=1000)
# Finished export jobs and their files are deleted this many days after they finished
# (nightly, reports.tasks.purge_old_exports_task); pending and running jobs are kept.
EXPORT_RETENTION_DAYS = env.int("EXPORT_RETENTION_DAYS", default=7)

# Public 随手拍 (/s/<token>/): submissions and tracking-code look-ups allowed per client
# address (core.clientip: TRUSTED_PROXY_COUNT), "<count>/<s|m|h|d>", and submissions per
# school from all addresses together (a flood from many addresses stays bounded).
SNAPSHOT_RATE_LIMIT = env("SNAPSHOT_RATE_LIMIT", default="5/h")
SNAPSHOT_SCHOOL_RATE_LIMIT = env("SNAPSHOT_SCHOOL_RATE_LIMIT", default="60/h")

# Notifications (notifications/). Deadline reminders this many days before the deadline.
NOTIFY_DEADLINE_DAYS_BEFORE = env.list("NOTIFY_DEADLINE_DAYS_BEFORE", cast=int, default=[3, 1])
# Overdue escalation ladder: days overdue at which each step is told (owner → principal →
# the cadre who holds the school → the linked bureau leader).
NOTIFY_ESCALATION_DAYS = {
    "owner": env.int("NOTIFY_ESCALATE_OWNER_DAYS", default=1),
    "principal": env.int("NOTIFY_ESCALATE_PRINCIPAL_DAYS", default=3),
    "cadre": env.int("NOTIFY_ESCALATE_CADRE_DAYS", default=7),
    "leader": env.int("NOTIFY_ESCALATE_LEADER_DAYS", default=14),
}
# Day of the period's last month from which a missing evacuation drill is reminded.
NOTIFY_DRILL_REMINDER_DAY = env.int("NOTIFY_DRILL_REMINDER_DAY", default=20)
NOTIFY_SAFETY_DATE_DAYS_BEFORE = env.int("NOTIFY_SAFETY_DATE_DAYS_BEFORE", default=7)
NOTIFY_INSPECTION_DAYS_BEFORE = env.int("NOTIFY_INSPECTION_DAYS_BEFORE", default=3)
# Sends: attempts before a delivery is recorded as failed, doubling retry delay (seconds),
# webhook timeout, how long a "sending" row stays claimed (longer than a send can take:
# send_delivery's time limit), and when a never-tried delivery counts as lost.
NOTIFY_MAX_ATTEMPTS = env.int("NOTIFY_MAX_ATTEMPTS", default=5)
NOTIFY_RETRY_BACKOFF_SECONDS = env.int("NOTIFY_RETRY_BACKOFF_SECONDS", default=30)
NOTIFY_RETRY_BACKOFF_MAX = env.int("NOTIFY_RETRY_BACKOFF_MAX", default=300)
NOTIFY_WEBHOOK_TIMEOUT = env.int("NOTIFY_WEBHOOK_TIMEOUT", default=10)
NOTIFY_SEND_LEASE_SECONDS = env.int("NOTIFY_SEND_LEASE_SECONDS", default=300)
NOTIFY_SWEEP_AFTER_SECONDS = env.int("NOTIFY_SWEEP_AFTER_SECONDS", default=600)
# The outbox (notifications/outbox.py): a relay's claim on a row runs out after this many
# seconds (it died between publishing and recording; the row is sent again), and sent rows
# are deleted this many days after they went out.
OUTBOX_RELAY_LEASE_SECONDS = env.int("OUTBOX_RELAY_LEASE_SECONDS", default=120)
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=7)
# Links in e-mails and robot messages are made absolute with this (e.g. https://aq.example.cn).
NOTIFY_SITE_URL = env("NOTIFY_SITE_URL", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# --- HTTPS and headers ----------------------------------------------------------------
# All off by default (the local demo speaks plain HTTP); a deployment behind HTTPS turns them
# on from the environment (README, "Production"). The cookies follow the redirect unless set.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # the load balancer probes the backend over plain HTTP
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Behind a reverse proxy that terminates TLS: "HTTP_X_FORWARDED_PROTO,https" (the header the
# proxy sets, and its value for HTTPS). Only set it when the proxy overwrites that header.
_proxy_ssl_header = env.list("SECURE_PROXY_SSL_HEADER", default=[])
if _proxy_ssl_header and len(_proxy_ssl_header) != 2:
    raise ImproperlyConfigured(
        "SECURE_PROXY_SSL_HEADER is 'HEADER,value', e.g. HTTP_X_FORWARDED_PROTO,https"
    )
SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header) or None
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=SECURE_SSL_REDIRECT)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=SECURE_SSL_REDIRECT)

# Content-Security-Policy (django-csp): no inline script or style anywhere; page behaviour
# lives in static/js/, data reaches it by json_script or data- attributes. Extra image
# origins (an S3-compatible store serving photos by signed URL) from CSP_IMG_SRC.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *env.list("CSP_IMG_SRC", default=[])],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Health (/health/, for the load balancer) ------------------------------------------
# Each part is a callable taking ``now`` (core.health); the answer names the failing ones.
HEALTH_CHECKS = {
    "database": "core.health.check_database",
    "broker": "core.health.check_broker",
    "disk": "core.health.check_disk",
    "outbox": "core.health.check_outbox",
}
HEALTH_BROKER_TIMEOUT = env.float("HEALTH_BROKER_TIMEOUT", default=1.0)
HEALTH_DISK_MIN_FREE_MB = env.int(
    "HEALTH_DISK_MIN_FREE_MB", default=500
)  # on MEDIA_ROOT, VAR_DIR and PRIVATE_ROOT
# The outbox's lag, ``f(now) -> (pending rows, oldest age in seconds or None)``, by dotted
# path; empty: the part answers "not configured".
HEALTH_OUTBOX_LAG = env("HEALTH_OUTBOX_LAG", default="notifications.outbox.outbox_lag")
HEALTH_OUTBOX_MAX_AGE_SECONDS = env.int("HEALTH_OUTBOX_MAX_AGE_SECONDS", default=600)

# --- Key-period supervision (supervision/) ----------------------------------------------
# 到家报平安: check-ins are due this many minutes after the class's dismissal bell (a school,
# grade or class bell row may set its own); the officer and principal are told this many
# minutes after that cut-off. 查寝: the same after the dorm bell.
SUPERVISION_HOME_CUTOFF_MINUTES = env.int("SUPERVISION_HOME_CUTOFF_MINUTES", default=90)
SUPERVISION_DORM_CUTOFF_MINUTES = env.int("SUPERVISION_DORM_CUTOFF_MINUTES", default=30)
SUPERVISION_ESCALATE_AFTER_MINUTES = env.int("SUPERVISION_ESCALATE_AFTER_MINUTES", default=30)
# A patrol slot not done by its end plus the grace is missed (the patroller is reminded);
# the officer is told this many minutes later.
SUPERVISION_PATROL_GRACE_MINUTES = env.int("SUPERVISION_PATROL_GRACE_MINUTES", default=30)
SUPERVISION_PATROL_ESCALATE_MINUTES = env.int("SUPERVISION_PATROL_ESCALATE_MINUTES", default=60)
# --- Drills, emergency plans, incidents (drills/; docs/decisions.md "Drills, plans and
# incidents") ---------------------------------------------------------------------------
# Evacuation target from signal to completion (教基一厅〔2014〕2号: ≤ 2 min for buildings of
# up to 4 floors); a primary school's when set (the common 小学 ≤ 3 min; 0: not used). A
# school's own target (drills.EvacuationTarget, per building) wins over both.
DRILL_TARGET_SECONDS = env.int("DRILL_TARGET_SECONDS", default=120)
DRILL_PRIMARY_TARGET_SECONDS = env.int("DRILL_PRIMARY_TARGET_SECONDS", default=0)
# Evacuation drills owed per month (kindergartens: per quarter): one, plus these extras for
# boarding and special-education schools ("适当增加"; the larger one applies), and one night
# drill per term for boarding schools.
DRILL_EXTRA_PER_PERIOD = {
    "boarding": env.int("DRILL_EXTRA_BOARDING", default=1),
    "special": env.int("DRILL_EXTRA_SPECIAL", default=1),
}
DRILL_NIGHT_PER_TERM = env.int("DRILL_NIGHT_PER_TERM", default=1)
# A month (quarter) owes a drill only when it has at least this many school days
# (schools.calendar): summer, winter holidays and a term's first few days do not count.
DRILL_MIN_SCHOOL_DAYS = env.int("DRILL_MIN_SCHOOL_DAYS", default=10)
# Plan kinds every school must have a current (approved) version of; boarding schools also
# the night dormitory evacuation plan.
PLAN_REQUIRED_KINDS = env.list(
    "PLAN_REQUIRED_KINDS", default=["fire", "earthquake", "anti_terror", "crowd", "food_poisoning"]
)
PLAN_REQUIRED_KINDS_BOARDING = env.list("PLAN_REQUIRED_KINDS_BOARDING", default=["night_dorm"])
# A plan is reviewed yearly: reminded this many days before its approval's anniversary.
PLAN_REVIEW_DAYS = env.int("PLAN_REVIEW_DAYS", default=365)
PLAN_REVIEW_REMIND_DAYS_BEFORE = env.int("PLAN_REVIEW_REMIND_DAYS_BEFORE", default=30)
# Planned drills (drills.PlannedDrill): reminded this many days before their day, and told
# as missed within this many days after it (a late run still tells, an old plan never).
DRILL_PLAN_REMIND_DAYS_BEFORE = env.int("DRILL_PLAN_REMIND_DAYS_BEFORE", default=3)
DRILL_PLAN_MISSED_WINDOW_DAYS = env.int("DRILL_PLAN_MISSED_WINDOW_DAYS", default=7)
PLAN_FILE_MAX_BYTES = env.int("PLAN_FILE_MAX_BYTES", default=20 * 2**20)
# Hours from the incident to each report, by level ("1" = I … "4" = IV): initial report to
# the bureau, written report, closure with its review. Sources in docs/decisions.md.
INCIDENT_DEADLINES_HOURS = env.json(
    "INCIDENT_DEADLINES_HOURS",
    default={
        "1": {"initial": 1, "written": 24, "closure": 60 * 24},
        "2": {"initial": 1, "written": 24, "closure": 60 * 24},
        "3": {"initial": 1, "written": 24, "closure": 30 * 24},
        "4": {"initial": 2, "written": 24, "closure": 30 * 24},
    },
)
# --- Wellbeing (sealed mental-health data) ------------------------------------------------
# Fernet keys for the encrypted columns (core.crypto), comma-separated, newest first. A
# development key only when DEBUG: production must set its own or fail loudly. Rotation:
# put a new key first, run ``manage.py rotate_encryption_keys``, then drop the old key.
WELLBEING_KEYS = env.list(
    "WELLBEING_KEYS",
    default=["JX5G5PrJQK2i5epUQHFeVFW6Nb20i03lF27csyzrf2k="] if DEBUG else environ.Env.NOTSET,
)
# Days a school's bullying investigation may take from its start (教督〔2017〕10号).
BULLYING_INVESTIGATION_DAYS = env.int("BULLYING_INVESTIGATION_DAYS", default=10)
# --- API sync and outbound webhooks (core.sync, notifications.tombstones/webhooks) ------
# The sync feed holds back rows modified in the last SYNC_SETTLE_SECONDS (longer than a
# request's transaction), so none commits behind a cursor a client already holds.
SYNC_SETTLE_SECONDS = env.float("SYNC_SETTLE_SECONDS", default=2)
# Deletions feed: tombstones kept this many days; an older deletions cursor must resync.
SYNC_TOMBSTONE_DAYS = env.int("SYNC_TOMBSTONE_DAYS", default=30)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_RETRY_BACKOFF_SECONDS = env.int("WEBHOOK_RETRY_BACKOFF_SECONDS", default=30)
# At most NOTIFY_RETRY_BACKOFF_MAX: a countdown longer than CELERY_VISIBILITY_TIMEOUT's
# share would have Redis hand the task out twice.
WEBHOOK_RETRY_BACKOFF_MAX = env.int("WEBHOOK_RETRY_BACKOFF_MAX", default=300)
WEBHOOK_PAUSE_AFTER = env.int("WEBHOOK_PAUSE_AFTER", default=5)
# A receiver on this machine (loopback) is refused unless allowed (tests, a local relay).
WEBHOOK_ALLOW_LOOPBACK = env.bool("WEBHOOK_ALLOW_LOOPBACK", default=False)
