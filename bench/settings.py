"""Settings of the benchmark: production-like (DEBUG off, plain static files, quiet logs)
plus ``bench.urls`` (the project's URLs and the trivial views of the framework floor).

Environment defaults are set before the project's settings read them; the benchmark's
database comes from ``DATABASE_URL`` (bench/run.py sets it and refuses a name without
"bench"). Never used by the product.
"""

import os

os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ["STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Tasks are published to an in-process broker nobody consumes: a request pays for
# enqueuing its notifications, as with a real broker, not for sending them.
os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
# The load step sends thousands of requests a minute with one token: the throttles stay
# in the stack (their cache look-up is paid) but never refuse.
os.environ["API_THROTTLE_USER"] = "1000000/m"
os.environ["API_THROTTLE_ANON"] = "1000000/m"
# A fixed key for the sealed wellbeing columns (no real data lives in a bench database).
os.environ.setdefault("WELLBEING_KEYS", "JX5G5PrJQK2i5epUQHFeVFW6Nb20i03lF27csyzrf2k=")

from campussafety.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
