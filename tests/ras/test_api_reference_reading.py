"""Reading an OpenAPI schema into the API reference page's content. Pure: no database."""

from typing import Any

from ras.api_reference.reading import (
    Block,
    Span,
    Text,
    api_reference_read,
    tag_title,
    text_read,
    type_text,
)

COMPONENTS: dict[str, Any] = {
    "CarerLevelEnum": {"type": "string", "enum": ["none", "some"], "description": "A level."},
    "Band": {
        "type": "object",
        "properties": {
            "min_points": {"type": "integer"},
            "max_points": {"type": "integer", "nullable": True, "description": "null: open."},
        },
        "required": ["min_points"],
    },
    "Draft": {
        "type": "object",
        "properties": {
            "id": {"type": "integer", "readOnly": True},
            "label": {"type": "string", "description": "The `label` people see."},
            "bands": {"type": "array", "items": {"$ref": "#/components/schemas/Band"}},
            "carer_level": {
                "allOf": [{"$ref": "#/components/schemas/CarerLevelEnum"}],
                "description": "Help from family.",
            },
            "secret": {"type": "string", "writeOnly": True},
        },
        "required": ["label", "bands"],
    },
    # A person's manager is a person: the listing must not go round for ever.
    "Person": {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "manager": {"$ref": "#/components/schemas/Person"},
        },
    },
}


def schema_with(paths: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Test API", "version": "2", "description": "For `tests`."},
        "paths": paths,
        "components": {"schemas": COMPONENTS},
        **top,
    }


DRAFT_PATHS: dict[str, Any] = {
    "/api/drafts/{id}/": {
        "parameters": [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
        ],
        "get": {
            "operationId": "drafts_retrieve",
            "summary": "A draft",
            "tags": ["drafts"],
            "security": [{"cookieAuth": []}, {}],
            "responses": {
                "404": {"description": "No such draft."},
                "200": {
                    "description": "",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Draft"}}
                    },
                },
            },
        },
        "put": {
            "operationId": "drafts_update",
            "tags": ["drafts"],
            "security": [{"cookieAuth": []}],
            "parameters": [
                {
                    "name": "dry_run",
                    "in": "query",
                    "schema": {"type": "boolean"},
                    "description": "Check, save nothing.",
                }
            ],
            "requestBody": {
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": {"$ref": "#/components/schemas/Draft"}
                    },
                    "application/json": {"schema": {"$ref": "#/components/schemas/Draft"}},
                },
                "required": True,
            },
            "responses": {"200": {"description": "Saved."}},
        },
    },
    "/api/people/": {
        "get": {
            "operationId": "people_list",
            "tags": ["people"],
            "responses": {
                "200": {
                    "description": "",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/Person"},
                            }
                        }
                    },
                }
            },
        }
    },
}


def test_descriptions_keep_their_code_and_their_lists() -> None:
    text = text_read("Send `label`\nand bands.\n\n* `none` - No help\n* `some` - Some help")
    assert text == Text(
        (
            Block(((Span("Send "), Span("label", code=True), Span(" and bands.")),)),
            Block(
                (
                    (Span("none", code=True), Span(" - No help")),
                    (Span("some", code=True), Span(" - Some help")),
                ),
                is_list=True,
            ),
        )
    )
    assert text_read("") == Text()
    assert not text_read("  \n ")


def test_types_read_as_words() -> None:
    assert type_text({"type": "integer"}, COMPONENTS) == "integer"
    assert type_text({"type": "string", "format": "date"}, COMPONENTS) == "string (date)"
    assert type_text({"type": "integer", "nullable": True}, COMPONENTS) == "integer, or null"
    assert type_text({"$ref": "#/components/schemas/CarerLevelEnum"}, COMPONENTS) == (
        "string: one of none, some"
    )
    assert type_text({"type": "array", "items": {"type": "string"}}, COMPONENTS) == (
        "list of strings"
    )
    assert type_text(
        {"type": "array", "items": {"$ref": "#/components/schemas/Band"}}, COMPONENTS
    ) == ("list of objects")
    assert type_text({"oneOf": [{"type": "integer"}, {"type": "string"}]}, COMPONENTS) == (
        "integer or string"
    )


def test_operations_are_grouped_by_tag_with_the_titles_people_read() -> None:
    reference = api_reference_read(schema_with(DRAFT_PATHS))
    assert reference.title == "Test API"
    assert reference.version == "2"
    assert [(s.title, s.anchor) for s in reference.sections] == [
        ("Drafts", "tag-drafts"),
        ("People", "tag-people"),
    ]
    assert [(op.method, op.path, op.anchor) for op in reference.operations] == [
        ("GET", "/api/drafts/{id}/", "drafts-retrieve"),
        ("PUT", "/api/drafts/{id}/", "drafts-update"),
        ("GET", "/api/people/", "people-list"),
    ]
    assert tag_title("table-versions") == "Table versions"


def test_declared_tags_come_first_in_their_order() -> None:
    schema = schema_with(DRAFT_PATHS, tags=[{"name": "people", "description": "Who is who."}])
    sections = api_reference_read(schema).sections
    assert [s.tag for s in sections] == ["people", "drafts"]
    assert sections[0].description.plain == "Who is who."


def test_an_operation_says_whether_it_needs_a_sign_in() -> None:
    get, put, people = api_reference_read(schema_with(DRAFT_PATHS)).operations
    assert get.sign_in_needed is False  # {} in its security: it works without one
    assert put.sign_in_needed is True
    assert people.sign_in_needed is False  # no security at all
    assert (get.changes_something, put.changes_something) == (False, True)


def test_parameters_of_the_path_and_of_the_operation_are_both_listed() -> None:
    get, put, _ = api_reference_read(schema_with(DRAFT_PATHS)).operations
    assert [(p.name, p.place, p.required, p.type_text) for p in get.parameters] == [
        ("id", "path", True, "integer")
    ]
    assert [(p.name, p.place, p.required, p.type_text) for p in put.parameters] == [
        ("id", "path", True, "integer"),
        ("dry_run", "query string", False, "boolean"),
    ]
    assert put.parameters[1].description.plain == "Check, save nothing."


def test_request_bodies_list_the_fields_to_send_nested_ones_dotted() -> None:
    put = api_reference_read(schema_with(DRAFT_PATHS)).sections[0].operations[1]
    body = put.request_body
    assert body is not None
    assert (body.content_type, body.shape) == ("application/json", "an object")
    # `id` is read-only: it is not sent. `secret` is write-only: it is.
    assert [(f.name, f.required, f.type_text) for f in body.fields] == [
        ("label", True, "string"),
        ("bands", True, "list of objects"),
        ("bands[].min_points", True, "integer"),
        ("bands[].max_points", False, "integer, or null"),
        ("carer_level", False, "string: one of none, some"),
        ("secret", False, "string"),
    ]
    descriptions = {f.name: f.description.plain for f in body.fields}
    assert descriptions["label"] == "The label people see."
    assert descriptions["carer_level"] == "Help from family."  # its own, not the enum's


def test_responses_come_in_order_of_status_with_their_fields() -> None:
    get = api_reference_read(schema_with(DRAFT_PATHS)).sections[0].operations[0]
    assert [(r.status, r.description.plain) for r in get.responses] == [
        ("200", "OK"),  # no description of its own: the status's name
        ("404", "No such draft."),
    ]
    ok, not_found = get.responses
    assert ok.body is not None
    assert [f.name for f in ok.body.fields] == [
        "id",
        "label",
        "bands",
        "bands[].min_points",
        "bands[].max_points",
        "carer_level",
    ]
    assert not_found.body is None


def test_a_responses_headers_are_listed_with_their_type_and_meaning() -> None:
    paths = {
        "/api/figures/": {
            "get": {
                "operationId": "figures_list",
                "tags": ["figures"],
                "responses": {
                    "200": {
                        "description": "",
                        "headers": {
                            "Last-Modified": {
                                "schema": {"type": "string"},
                                "description": "When the figures are from.",
                            }
                        },
                    },
                    "400": {"description": "A bad filter."},
                },
            }
        }
    }
    ok, bad = api_reference_read(schema_with(paths)).sections[0].operations[0].responses
    assert [(h.name, h.type_text, h.description.plain) for h in ok.headers] == [
        ("Last-Modified", "string", "When the figures are from.")
    ]
    assert bad.headers == ()


def test_a_list_of_records_that_refer_to_themselves_is_listed_once() -> None:
    people = api_reference_read(schema_with(DRAFT_PATHS)).sections[1].operations[0]
    body = people.responses[0].body
    assert body is not None
    assert body.shape == "a list of objects"
    assert [(f.name, f.type_text) for f in body.fields] == [
        ("name", "string"),
        ("manager", "object"),
    ]


def test_an_operation_with_no_request_body_has_none() -> None:
    get = api_reference_read(schema_with(DRAFT_PATHS)).sections[0].operations[0]
    assert get.request_body is None


def test_an_operations_own_parameter_replaces_the_paths_one_of_the_same_name() -> None:
    paths = {
        "/api/things/{id}/": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {}}],
            "get": {
                "operationId": "things_retrieve",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "format": "uuid"},
                        "description": "The thing's public id.",
                    },
                    {"$ref": "#/components/parameters/Page"},
                ],
                "responses": {"200": {"description": "The thing."}},
            },
        }
    }
    schema = schema_with(paths)
    schema["components"]["parameters"] = {
        "Page": {"name": "page", "in": "query", "schema": {"type": "integer"}}
    }
    (operation,) = api_reference_read(schema).operations
    assert [(p.name, p.type_text, p.description.plain) for p in operation.parameters] == [
        ("id", "string (uuid)", "The thing's public id."),
        ("page", "integer", ""),
    ]
    assert operation.anchor == "things-retrieve"
    assert [s.title for s in api_reference_read(schema).sections] == ["Other"]
