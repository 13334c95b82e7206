"""A client generated from the live schema by openapi-python-client (a tool nobody here
wrote, as another system would use it) against the live server on the loopback: it
imports cleanly, gets a token, reads every resource, performs an allowed and a refused
transition and tells the refusal from a wrong-state error by its typed body, and uploads
a photo.
"""

import importlib
import inspect
import io
import pkgutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from PIL import Image

from hazards.models import Hazard
from tests.factories import DrillFactory, InspectionFactory

from .conftest import report

PACKAGE = "cs_client"
# Lists a school officer is refused (typed): other systems' endpoints (the bureau admin's)
# and the sealed domain's counts (the bureau's and the counsellors').
REFUSED_TO_OFFICER = (".v1_webhook_subscriptions_list", ".v1_wellbeing_counts_list")


@pytest.fixture
def generated(live_server, tmp_path, monkeypatch):
    """The client package, generated into ``tmp_path`` from the server's own schema."""
    schema = httpx.get(f"{live_server.url}/api/schema/?format=json", timeout=30)
    assert schema.status_code == 200
    (tmp_path / "schema.json").write_bytes(schema.content)
    (tmp_path / "config.yml").write_text(f"package_name_override: {PACKAGE}\npost_hooks: []\n")
    tool = Path(sys.executable).parent / "openapi-python-client"
    # fmt: off
    done = subprocess.run(
        [tool, "generate", "--path", "schema.json", "--meta", "none", "--config", "config.yml",
         "--output-path", PACKAGE, "--fail-on-warning"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )
    # fmt: on
    assert done.returncode == 0, done.stdout + done.stderr
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module(PACKAGE)
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]


def every_module(package):
    """Import each module of the generated package: a NameError or a syntax error fails."""
    return {
        info.name: importlib.import_module(info.name)
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
    }


def photo():
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (30, 120, 200)).save(out, format="PNG")
    out.seek(0)
    return out


def test_a_generated_client_works_against_the_live_server(
    generated, live_server, school_a, officer_a, teacher_a
):
    modules = every_module(generated)
    models, errors = generated.models, generated.errors  # noqa: F841 — both import
    api = f"{PACKAGE}.api"

    # A token, with the credentials the user signs in with.
    anonymous = generated.Client(base_url=live_server.url, raise_on_unexpected_status=True)
    token_create = modules[f"{api}.v1.v1_auth_token_create"]
    body = models.AuthTokenRequest(username="officer_a", password="pass-1234")
    token = token_create.sync(client=anonymous, body=body)
    assert isinstance(token, models.Token), token
    client = generated.AuthenticatedClient(
        base_url=live_server.url,
        token=token.token,
        prefix="Token",
        raise_on_unexpected_status=True,
    )

    # Every resource reads, typed: each list operation that needs no path parameter.
    reported = report(school_a, officer_a)
    InspectionFactory(school=school_a)
    DrillFactory(school=school_a)
    lists = {
        name: module
        for name, module in modules.items()
        if name.startswith(f"{api}.")
        and name.endswith("_list")
        and "id" not in inspect.signature(module.sync).parameters
    }
    assert len(lists) >= 15
    for name, module in lists.items():
        response = module.sync_detailed(client=client)
        if name.endswith(REFUSED_TO_OFFICER):
            assert isinstance(response.parsed, models.Error), name
            continue
        assert response.status_code == 200, (name, response.content)
        # Typed: a page of models, or (reports such as the supervision trend) a list of
        # models or one model.
        parsed = response.parsed
        assert (
            type(parsed).__name__.startswith("Paginated")
            or hasattr(parsed, "to_dict")
            or (isinstance(parsed, list) and all(hasattr(row, "to_dict") for row in parsed))
        ), name
    hazards = modules[f"{api}.hazards.v1_hazards_list"].sync(client=client)
    assert [h.id for h in hazards.results] == [reported.pk]

    # Upload a photo: report a hazard with it (multipart, the file field is binary).
    files = [generated.types.File(payload=photo(), file_name="fire.png", mime_type="image/png")]
    created = modules[f"{api}.hazards.v1_hazards_create"].sync(
        client=client,
        body=models.HazardCreateRequest(
            school=school_a.pk,
            title="配电箱未上锁",
            category=models.HazardCategoryEnum.ELECTRICAL,
            source=models.SourceEnum.SELF_INSPECTION,
            photos=files,
        ),
    )
    assert isinstance(created, models.HazardDetail), created
    assert len(created.photos) == 1
    assert Hazard.objects.get(pk=created.id).photos.count() == 1

    # An allowed transition, then the same one in the wrong state, then a refused one.
    assign = modules[f"{api}.hazards.v1_hazards_assign_create"]
    request = models.HazardAssignRequest(responsible=teacher_a.pk, measures="加锁")
    assigned = assign.sync(reported.pk, client=client, body=request)
    assert isinstance(assigned, models.HazardDetail), assigned
    assert assigned.status == models.HazardStatusEnum.RECTIFYING

    wrong_state = assign.sync(reported.pk, client=client, body=request)
    assert isinstance(wrong_state, models.ValidationError), wrong_state
    assert wrong_state.code == "invalid_transition"

    teacher = generated.AuthenticatedClient(
        base_url=live_server.url,
        token=teacher_token(token_create, anonymous, models),
        prefix="Token",
        raise_on_unexpected_status=True,
    )
    refused = assign.sync(created.id, client=teacher, body=request)
    assert isinstance(refused, models.Error), refused
    assert refused.code in {"not_permitted", "permission_denied"}
    assert Hazard.objects.get(pk=created.id).status == Hazard.Status.REPORTED


def teacher_token(token_create, anonymous, models):
    body = models.AuthTokenRequest(username="teacher_a", password="pass-1234")
    return token_create.sync(client=anonymous, body=body).token
