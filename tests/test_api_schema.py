"""The JSON API against its own OpenAPI document (schemathesis): for generated requests, valid
and not, no server error and no response outside what the document promises.

Schemathesis's pytest plugin does not run under this pytest, so each operation's hypothesis
strategy is driven directly, with a bounded number of examples."""

import pytest
import schemathesis
from factories import make_survey
from hypothesis import HealthCheck, given, settings

from surveys import people
from surveys.models import Role

EXAMPLES_PER_OPERATION = 25


@pytest.mark.parametrize("role", [Role.STAFF, Role.UNIT_HEAD])
def test_every_operation_keeps_the_promises_of_the_openapi_document(app, world, session, role):
    make_survey(session, owner=world.A, units=[world.A])
    token = people.create_api_token(session, world.users[role], "schemathesis")
    session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/surveys", "/surveys/{survey_id}/responses"}

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
        def keeps_its_promises(case):
            case.call_and_validate(headers=headers)

        keeps_its_promises()
