"""schemathesis against the API's own OpenAPI schema, as the director and as a hunter: requests
generated from the schema (valid and invalid ones) must never answer a server error, and every
answer must be one the schema documents, in the shape it documents.

It goes through Django's WSGI application in this process, on the test database with the demo
company loaded. Examples per operation and mode: ``SALESRELAY_SCHEMATHESIS_EXAMPLES`` (default 5).
"""

import os

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from salesrelay.people.actions import create_token

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
EXAMPLES = int(os.environ.get("SALESRELAY_SCHEMATHESIS_EXAMPLES", "5"))


@pytest.fixture
def api_schema(db):
    # As Django's test client does: the test's connection stays open between requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def demo(db):
    call_command("demo", "--if-empty", verbosity=0)


def run_against_the_schema(schema, login) -> list[str]:
    """Every operation with valid and invalid generated requests, as ``login``; the failures."""
    _token, text = create_token(get_user_model().objects.get(username=login))
    headers = {"Authorization": f"Token {text}"}
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            def check(case):
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                check()
            except Unsatisfiable:
                continue  # every value the schema allows is valid: no invalid request to send
            except Exception as error:  # every operation is tried; the failures are listed
                failures.append(f"{operation.label} ({mode.value}): {str(error).strip()[:300]}")
    return failures


def test_the_api_answers_the_director_as_its_schema_says(api_schema, demo):
    assert run_against_the_schema(api_schema, "director") == []


def test_the_api_answers_a_hunter_as_its_schema_says(api_schema, demo):
    assert run_against_the_schema(api_schema, "hunter") == []
