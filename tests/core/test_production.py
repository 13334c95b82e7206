"""Production settings: the Content-Security-Policy (and templates it can hold to: no inline
script, handler or style), no caching of pages with personal data, and ``manage.py check
--deploy`` clean with the HTTPS environment a deployment sets (README, "Production")."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.urls import reverse

from tests.factories import CounsellingFactory

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [BASE_DIR / "templates", *BASE_DIR.glob("*/templates")]

# A <script> without src that would run (json_script's type="application/json" is data).
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S)
INLINE_STYLE = re.compile(r"<style\b|<[a-z][^>]*\sstyle\s*=", re.I | re.S)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def test_pages_carry_a_policy_without_inline_script_or_style(client, officer_a):
    client.force_login(officer_a)
    for url in (reverse("login"), reverse("dashboard"), reverse("hazard-list")):
        policy = directives(client.get(url))
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


def template_files():
    files = [p for d in TEMPLATE_DIRS if d.is_dir() for p in d.rglob("*.html")]
    assert len(files) > 40  # the scan found the templates
    return files


@pytest.mark.parametrize(
    ("pattern", "what"),
    [
        (INLINE_SCRIPT, "inline <script>"),
        (HANDLER, "on*= event handler"),
        (INLINE_STYLE, "inline style"),
        (JS_URL, "javascript: URL"),
    ],
)
def test_no_template_holds_what_the_policy_blocks(pattern, what):
    found = [
        f"{path.relative_to(BASE_DIR)}: {match.group(0)[:60]!r}"
        for path in template_files()
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == [], f"{what} (move it to static/js or static/css)"


def test_the_scan_recognises_what_it_looks_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/js/app.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script id="d" type="application/json">{}</script>')
    assert HANDLER.search('<button type="button"\n onclick="print()">')
    assert not HANDLER.search('<button data-action="print">')
    assert INLINE_STYLE.search('<div class="x" style="width: 5%">')


def test_counselling_pages_are_not_stored(client, counsellor_a, school_a):
    CounsellingFactory(school=school_a)
    client.force_login(counsellor_a)
    for url in (reverse("counselling-list"), reverse("counselling-create")):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store", url


def test_api_answers_are_not_stored(api_as, officer_a):
    response = api_as(officer_a).get("/api/v1/hazards/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_view_that_sets_its_own_caching_keeps_it(admin_as, bureau_admin):
    # The admin marks its pages never_cache (max-age=0, no-cache, no-store, ...): kept.
    response = admin_as(bureau_admin, "all").get("/admin/")
    assert "no-store" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]


HTTPS_ENV = {
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
}


def check_deploy(**extra):
    """``manage.py check --deploy`` under the production settings (base.py, DEBUG off, a
    real-looking secret key, a host name) in a fresh process."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "SESSION_", "CSRF_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="campussafety.settings.base",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        WELLBEING_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="safety.example.cn",
        **extra,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_https_environment():
    result = check_deploy(**HTTPS_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_names_what_is_missing_without_it():
    result = check_deploy()
    assert result.returncode != 0
    for warning in ("W004", "W008", "W012", "W016"):  # HSTS, redirect, both cookies
        assert f"security.{warning}" in result.stderr


def test_hsts_and_redirect_behind_a_proxy(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get(reverse("login")).status_code == 301  # plain HTTP: to HTTPS
    response = client.get(reverse("login"), headers={"x-forwarded-proto": "https"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=3600"
