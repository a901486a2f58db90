"""Every route × every role: allowed, or refused (403, or a redirect to log-in for anonymous visitors).

``RULES`` must name every endpoint the app has; a new route without a rule fails the suite.
Each rule gives the roles that may open it and how to build its URL ("own" ids inside the
scope of the world's scoped users — agency A — and "other" ids outside it, agency B)."""
import pytest

from surveys.models import Role



ANON = "anonymous"
EVERYONE = frozenset({ANON, *Role})
SIGNED_IN = frozenset(Role)
ADMIN = frozenset({Role.ADMIN})
READERS = frozenset({Role.ADMIN, Role.AUTHOR, Role.UNIT_HEAD, Role.COMMITTEE_MEMBER, Role.INSPECTOR})


def unit_own(world) -> dict:
    return {"unit_id": world.A1.id}


def unit_other(world) -> dict:
    return {"unit_id": world.B.id}


# endpoint: (method, roles allowed with "own" ids, roles allowed with "other" ids, url-args builder(s))
RULES: dict[str, tuple] = {
    "main.home": ("GET", EVERYONE, None, None),
    "main.dashboard": ("GET", SIGNED_IN, None, None),
    "main.unit": ("GET", READERS, ADMIN, (unit_own, unit_other)),
    "auth.login": ("GET", EVERYONE, None, None),
    "auth.logout": ("POST", SIGNED_IN, None, None),
    "auth.account": ("GET", SIGNED_IN, None, None),
    "auth.set_language": ("POST", EVERYONE, None, lambda w: {"code": "en"}),
    "admin.index": ("GET", ADMIN, None, None),
    "admin.units": ("GET", ADMIN, None, None),
    "admin.unit_form": ("GET", ADMIN, None, lambda w: {"unit_id": w.A.id}),
    "admin.import_divisions": ("POST", ADMIN, None, None),
    "admin.committees": ("GET", ADMIN, None, None),
    "admin.committee_form": ("GET", ADMIN, None, lambda w: {"committee_id": w.C.id}),
    "admin.users": ("GET", ADMIN, None, None),
    "admin.user_form": ("GET", ADMIN, None, lambda w: {"user_id": w.users[Role.STAFF].id}),
    "admin.add_role": ("POST", ADMIN, None, lambda w: {"user_id": w.users[Role.STAFF].id}),
    "admin.remove_role": (
        "POST", ADMIN, None,
        lambda w: {"user_id": w.users[Role.STAFF].id, "assignment_id": w.users[Role.STAFF].roles[0].id},
    ),
    "admin.import_users": ("GET", ADMIN, None, None),
    "admin.audit_log": ("GET", ADMIN, None, None),
}


def test_every_endpoint_has_a_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if not rule.endpoint.endswith("static")}
    assert endpoints - RULES.keys() == set(), "add these endpoints to RULES"
    assert RULES.keys() - endpoints == set(), "these RULES name endpoints that no longer exist"


def _cases():
    for endpoint, (method, allowed_own, allowed_other, builders) in RULES.items():
        if isinstance(builders, tuple):
            yield endpoint, method, allowed_own, builders[0], "own"
            yield endpoint, method, allowed_other, builders[1], "other"
        else:
            yield endpoint, method, allowed_own, builders, "own"


@pytest.mark.parametrize("who", [ANON, *Role], ids=str)
@pytest.mark.parametrize(
    "endpoint,method,allowed,build,which", list(_cases()), ids=[f"{c[0]}-{c[4]}" for c in _cases()]
)
def test_access(app, world, who, endpoint, method, allowed, build, which):
    client = app.test_client()
    if who != ANON:
        world.login_as(client, who)
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **(build(world) if build else {}))
    if method == "POST" and who in allowed:
        pytest.skip("allowed POSTs change data; their behaviour is tested with the feature")
    response = client.open(url, method=method)
    if who in allowed:
        assert response.status_code in (200, 302), (url, response.status_code)
        if response.status_code == 302:
            assert "/login" not in response.headers["Location"], url
    elif who == ANON:
        assert response.status_code == 302 and "/login" in response.headers["Location"], (url, response.status_code)
    else:
        assert response.status_code == 403, (url, who, response.status_code)
