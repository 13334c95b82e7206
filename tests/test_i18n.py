"""English translation: pages and API errors follow Accept-Language, and the English catalogue
(locale/en/LC_MESSAGES/django.po, compiled to django.mo) covers every marked string.

When a test here fails after a code change: run
``python manage.py makemessages -l en --ignore=.venv --ignore=node_modules
--ignore=static/vendor --ignore=var``,
translate the new entries, drop their ``#, fuzzy`` flags, and
``python manage.py compilemessages -l en --ignore=.venv --ignore=node_modules``.
"""

import ast
import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from hazards.models import Hazard

from .factories import HazardFactory

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PO_PATH = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def parse_po(path):
    """A .po file → list of entries ``{"msgctxt", "msgid", "msgid_plural", "msgstr": [..],
    "flags": set}``; the header (empty msgid) and obsolete (``#~``) entries are left out."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry = {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": [], "flags": set()}
        field = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                _append(entry, field, ast.literal_eval(line))
            else:
                keyword, _sep, literal = line.partition(" ")
                field = "msgstr" if keyword.startswith("msgstr") else keyword
                if field == "msgstr":
                    entry["msgstr"].append("")
                _append(entry, field, ast.literal_eval(literal))
        if entry["msgid"]:
            entries.append(entry)
    return entries


def _append(entry, field, text):
    if field == "msgstr":
        entry["msgstr"][-1] += text
    else:
        entry[field] = (entry[field] or "") + text


def _key(entry):
    return (entry["msgctxt"], entry["msgid"], entry["msgid_plural"])


# --- pages and API in each language ---------------------------------------------------------


@pytest.mark.django_db
def test_login_page_is_english_with_accept_language_en(client):
    html = client.get("/accounts/login/", **EN).content.decode()
    assert "Log in" in html
    assert "Username" in html and "Password" in html
    assert "登录" not in html and "用户名" not in html


@pytest.mark.django_db
def test_login_page_is_chinese_by_default(client):
    html = client.get("/accounts/login/").content.decode()
    assert "登录" in html and "用户名" in html
    assert "Log in" not in html and "Username" not in html


@pytest.mark.django_db
def test_wrong_state_transition_error_is_english_with_accept_language_en(api_as, bureau_staff):
    hazard = HazardFactory(status=Hazard.Status.REPORTED)
    response = api_as(bureau_staff).post(f"/api/v1/hazards/{hazard.pk}/close/", {}, **EN)
    assert response.status_code == 400
    detail = str(response.json()["detail"])
    assert "“Reported”" in detail and "“Verify and write off”" in detail
    assert not any("\u4e00" <= char <= "\u9fff" for char in detail), detail


@pytest.mark.django_db
def test_wrong_state_transition_error_is_chinese_by_default(api_as, bureau_staff):
    hazard = HazardFactory(status=Hazard.Status.REPORTED)
    response = api_as(bureau_staff).post(f"/api/v1/hazards/{hazard.pk}/close/", {})
    assert response.status_code == 400
    assert response.json()["detail"] == "隐患当前状态为“已登记”，不能执行“验收销号”。"


# --- the catalogue ----------------------------------------------------------------------------


def test_every_catalogue_entry_is_translated_and_checked():
    entries = parse_po(PO_PATH)
    assert len(entries) > 400  # the parser read the catalogue, not an empty shell
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == [], "untranslated: %s" % untranslated
    assert fuzzy == [], "fuzzy (check the translation, then remove the flag): %s" % fuzzy


def test_plural_entries_have_both_english_forms():
    plurals = [e for e in parse_po(PO_PATH) if e["msgid_plural"]]
    assert plurals
    assert all(len(e["msgstr"]) == 2 for e in plurals), [e["msgid"] for e in plurals]


def test_compiled_catalogue_matches_the_po_file():
    """A .po edited without ``compilemessages`` leaves a stale .mo, and the site stays Chinese."""
    with MO_PATH.open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    stale = []
    for e in parse_po(PO_PATH):
        msgid = e["msgid"] if e["msgctxt"] is None else f"{e['msgctxt']}\x04{e['msgid']}"
        if e["msgid_plural"]:
            got = [catalogue.ngettext(msgid, e["msgid_plural"], n) for n in (1, 2)]
        else:
            got = [catalogue.gettext(msgid)]
        if got != e["msgstr"]:
            stale.append(e["msgid"])
    assert stale == [], "run compilemessages: %s" % stale


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="needs GNU gettext (apt-get install gettext)"
)
def test_every_marked_string_in_the_source_is_in_the_catalogue(tmp_path):
    """Extract the strings afresh (makemessages over links to the apps and templates, written
    under tmp_path) and require each to be translated in the committed catalogue."""
    base = Path(settings.BASE_DIR)
    for child in base.iterdir():
        if child.name == "templates" or (child / "__init__.py").is_file():
            (tmp_path / child.name).symlink_to(child, target_is_directory=True)
    (tmp_path / "locale").mkdir()  # makemessages writes here: the cwd's own locale folder
    env = {**os.environ, "DEBUG": "1"}
    subprocess.run(
        [
            sys.executable,
            str(base / "manage.py"),
            "makemessages",
            "-l",
            "en",
            "--symlinks",
            "-v",
            "0",
        ],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = parse_po(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")
    translated = {
        _key(e) for e in parse_po(PO_PATH) if all(e["msgstr"]) and "fuzzy" not in e["flags"]
    }
    missing = [e["msgid"] for e in fresh if _key(e) not in translated]
    assert len(fresh) > 400
    assert missing == [], "run makemessages and translate: %s" % missing


def test_english_tells_action_from_state_and_plural_from_singular():
    from django.apps import apps
    from django.utils import translation

    from hazards.models import TRANSITIONS, Hazard

    with translation.override("en"):
        assert str(TRANSITIONS["dismiss"].label) == "Dismiss"
        assert str(Hazard.Status.DISMISSED.label) == "Dismissed"
        assert str(Hazard._meta.verbose_name_plural) == "Hazards"
        ours = [
            m
            for m in apps.get_models()
            if m.__module__.split(".")[0]
            in {
                "accounts",
                "schools",
                "hazards",
                "inspections",
                "drills",
                "education",
                "reports",
                "notifications",
            }
        ]
        same = [
            m._meta.label
            for m in ours
            if str(m._meta.verbose_name) == str(m._meta.verbose_name_plural)
        ]
        assert same == ["reports.YearlyStatistic"]  # "statistics" is both
