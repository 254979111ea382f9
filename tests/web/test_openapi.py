"""Schemathesis against the OpenAPI document: generated requests for every operation never get
a server error, and responses conform to the documented status codes, types and schemas.

Bounded for a 2-core CI: a few derandomised examples per operation (analyses run the real
pipeline). The operations are driven from a loop rather than ``schema.parametrize`` so that
the app can be built from the session's fixtures (pipeline, corpus store)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from newsforensics.web import Limits, WebSettings, create_app

EXAMPLES_PER_OPERATION = 5
# A schema-valid item can still be unreadable (binary bytes, nothing left after extraction):
# that is a 422 "bad-input" by design, which no schema can express, so this one check is off.
EXCLUDED_CHECKS = [schemathesis.checks.positive_data_acceptance]


def as_loopback(app):
    """The app as reached at 127.0.0.1 (schemathesis's ASGI client says Host: testserver, which
    the guard refuses on a loopback bind, as it should)."""

    async def wrapped(scope, receive, send):
        if scope["type"] == "http":
            headers = [(k, b"127.0.0.1") if k == b"host" else (k, v) for k, v in scope["headers"]]
            scope = {**scope, "headers": headers}
        await app(scope, receive, send)

    return wrapped


def test_api_conforms_to_its_openapi_document(corpus_db, pipeline):
    limits = Limits.from_file(analyse_burst=10_000, analyse_per_minute=60_000)
    app = create_app(WebSettings(db=corpus_db, warm_up=False, limits=limits), pipeline=pipeline)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", as_loopback(app))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.label for op in operations} >= {"POST /api/analyze", "GET /api/search", "GET /api/items/{item_id}"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def conforms(case):
            case.call_and_validate(excluded_checks=EXCLUDED_CHECKS)

        conforms()
