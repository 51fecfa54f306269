"""The API reference page's content, read from an OpenAPI 3 schema.

Pure: takes the schema as drf-spectacular generates it (a dict of plain values) and returns frozen
dataclasses that the template lays out. It knows nothing of Django or of the project's endpoints,
so every endpoint added later appears on the page without a change here.

Descriptions in the schema use a little Markdown: `code` in backticks, and choices as lines
starting with "* ". They are read into `Text` (paragraphs and bullet lists of plain and code
spans), which the template escapes like any other value.
"""

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

Schema = Mapping[str, Any]

HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
PLACES = {"path": "path", "query": "query string", "header": "header", "cookie": "cookie"}
# Nested objects are listed as dotted names this many levels down (and never round a cycle).
MAX_FIELD_DEPTH = 4
PLURALS = {
    "object": "objects",
    "string": "strings",
    "integer": "integers",
    "number": "numbers",
    "boolean": "true or false values",
}
UNTAGGED = "other"


@dataclass(frozen=True)
class Span:
    text: str
    code: bool = False


@dataclass(frozen=True)
class Block:
    """A paragraph (one item) or a bullet list (one item per bullet); each item is spans."""

    items: tuple[tuple[Span, ...], ...]
    is_list: bool = False


@dataclass(frozen=True)
class Text:
    blocks: tuple[Block, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.blocks)

    @property
    def plain(self) -> str:
        return " ".join("".join(s.text for s in item) for b in self.blocks for item in b.items)


@dataclass(frozen=True)
class Field:
    name: str  # nested fields are dotted: bands[].min_points
    type_text: str
    required: bool
    description: Text


@dataclass(frozen=True)
class Parameter:
    name: str
    place: str
    required: bool
    type_text: str
    description: Text


@dataclass(frozen=True)
class Body:
    content_type: str
    shape: str  # "an object", "a list of objects", "a string"...
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Response:
    status: str
    description: Text
    body: Body | None
    headers: tuple[Field, ...] = ()


@dataclass(frozen=True)
class Operation:
    anchor: str
    method: str  # upper case
    path: str
    summary: str
    description: Text
    sign_in_needed: bool
    deprecated: bool
    parameters: tuple[Parameter, ...]
    request_body: Body | None
    responses: tuple[Response, ...]

    @property
    def changes_something(self) -> bool:
        return self.method not in SAFE_METHODS


@dataclass(frozen=True)
class Section:
    """The operations of one tag."""

    tag: str
    title: str
    anchor: str
    description: Text
    operations: tuple[Operation, ...]


@dataclass(frozen=True)
class ApiReference:
    title: str
    version: str
    description: Text
    sections: tuple[Section, ...]

    @property
    def operations(self) -> Iterator[Operation]:
        for section in self.sections:
            yield from section.operations


def api_reference_read(schema: Schema) -> ApiReference:
    """The page's content: operations grouped by their first tag, in the schema's order.

    Tags come in the order of the schema's top-level `tags` when it has them, then by name.
    """
    components: Schema = schema.get("components", {}).get("schemas", {})
    shared: Schema = schema.get("components", {}).get("parameters", {})
    default_security: Sequence[Any] = schema.get("security", [])
    grouped: dict[str, list[Operation]] = {}
    for path, path_item in schema.get("paths", {}).items():
        path_parameters = [_named(p, shared) for p in path_item.get("parameters", [])]
        for method in HTTP_METHODS:
            if method in path_item:
                operation = path_item[method]
                tags = operation.get("tags") or [UNTAGGED]
                own_parameters = [_named(p, shared) for p in operation.get("parameters", [])]
                grouped.setdefault(tags[0], []).append(
                    _operation(
                        path,
                        method,
                        operation,
                        _parameters_merged(path_parameters, own_parameters),
                        operation.get("security", default_security),
                        components,
                    )
                )
    tag_descriptions = {tag["name"]: tag.get("description", "") for tag in schema.get("tags", [])}
    declared = [name for name in tag_descriptions if name in grouped]
    order = declared + sorted(name for name in grouped if name not in tag_descriptions)
    info = schema.get("info", {})
    return ApiReference(
        title=info.get("title", ""),
        version=str(info.get("version", "")),
        description=text_read(info.get("description", "")),
        sections=tuple(
            Section(
                tag=tag,
                title=tag_title(tag),
                anchor=f"tag-{anchor_safe(tag)}",
                description=text_read(tag_descriptions.get(tag, "")),
                operations=tuple(grouped[tag]),
            )
            for tag in order
        ),
    )


def tag_title(tag: str) -> str:
    """`table-versions` reads as "Table versions"."""
    words = re.sub(r"[-_]+", " ", tag).strip()
    return words[:1].upper() + words[1:]


def anchor_safe(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "item"


def text_read(markdown: str) -> Text:
    """Paragraphs split at blank lines; a paragraph whose lines all start with "* " or "- " is a
    bullet list; `backticks` are code. Single line breaks inside a paragraph are spaces."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", markdown.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        if all(re.match(r"[*-] ", line) for line in lines):
            blocks.append(Block(tuple(_spans(line[2:]) for line in lines), is_list=True))
        else:
            blocks.append(Block((_spans(" ".join(lines)),)))
    return Text(tuple(blocks))


def _spans(line: str) -> tuple[Span, ...]:
    parts = re.split(r"`([^`]+)`", line)
    # re.split puts the captured code at odd positions.
    return tuple(Span(part, code=index % 2 == 1) for index, part in enumerate(parts) if part != "")


def _operation(
    path: str,
    method: str,
    operation: Schema,
    parameters: Sequence[Schema],
    security: Sequence[Any],
    components: Schema,
) -> Operation:
    request_body = operation.get("requestBody")
    responses: Schema = operation.get("responses", {})
    return Operation(
        anchor=anchor_safe(operation.get("operationId") or f"{method}-{path}"),
        method=method.upper(),
        path=path,
        summary=operation.get("summary", ""),
        description=text_read(operation.get("description", "")),
        # An empty requirement ({}) in the list means the operation also works without one.
        sign_in_needed=bool(security) and not any(not requirement for requirement in security),
        deprecated=bool(operation.get("deprecated", False)),
        parameters=tuple(_parameter(p, components) for p in parameters),
        request_body=(
            _body(request_body.get("content", {}), components, for_request=True)
            if request_body
            else None
        ),
        responses=tuple(
            _response(status, responses[status], components)
            for status in sorted(responses, key=_status_order)
        ),
    )


def _parameters_merged(path_level: Sequence[Schema], own: Sequence[Schema]) -> list[Schema]:
    """The path's parameters, then the operation's; an operation's own parameter replaces the
    path's one of the same name and place."""
    own_keys = {(p.get("name"), p.get("in")) for p in own}
    return [p for p in path_level if (p.get("name"), p.get("in")) not in own_keys] + list(own)


def _parameter(parameter: Schema, components: Schema) -> Parameter:
    schema = parameter.get("schema", {})
    description = parameter.get("description") or _resolved(schema, components).get(
        "description", ""
    )
    place = str(parameter.get("in", ""))
    return Parameter(
        name=parameter.get("name", ""),
        place=PLACES.get(place, place),
        required=bool(parameter.get("required", False)),
        type_text=type_text(schema, components),
        description=text_read(description),
    )


def _status_order(status: str) -> tuple[int, str]:
    return (int(status), "") if status.isdigit() else (1000, status)


def _response(status: str, response: Schema, components: Schema) -> Response:
    description = response.get("description", "")
    if not description and status.isdigit():
        try:
            description = HTTPStatus(int(status)).phrase
        except ValueError:
            description = ""
    if status == "default":
        description = description or "Any other answer"
    content = response.get("content", {})
    return Response(
        status=status,
        description=text_read(description),
        body=_body(content, components, for_request=False) if content else None,
        headers=tuple(
            Field(
                name=name,
                type_text=type_text(header.get("schema", {}), components),
                required=bool(header.get("required", False)),
                description=text_read(header.get("description", "")),
            )
            for name, header in response.get("headers", {}).items()
        ),
    )


def _body(content: Schema, components: Schema, *, for_request: bool) -> Body | None:
    if not content:
        return None
    content_type = "application/json" if "application/json" in content else next(iter(content))
    raw = content[content_type].get("schema", {})
    schema = _resolved(raw, components)
    if schema.get("type") == "array":
        raw = schema.get("items", {})
        shape = f"a list of {_plural(raw, components)}"
    else:
        shape = _with_article(type_text(schema, components))
    record = _resolved(raw, components)
    # A record that holds one of its own kind lists its fields once, not again inside itself.
    seen = (_reference_name(raw),) if _reference_name(raw) else ()
    fields = _fields(record, components, "", 1, seen, for_request=for_request)
    return Body(content_type=content_type, shape=shape, fields=tuple(fields))


def _fields(
    schema: Schema,
    components: Schema,
    prefix: str,
    depth: int,
    seen: tuple[str, ...],
    *,
    for_request: bool,
) -> list[Field]:
    fields: list[Field] = []
    required = set(schema.get("required", []))
    for name, raw in schema.get("properties", {}).items():
        prop = _resolved(raw, components)
        if (prop.get("readOnly") and for_request) or (prop.get("writeOnly") and not for_request):
            continue
        fields.append(
            Field(
                name=f"{prefix}{name}",
                type_text=type_text(raw, components),
                required=name in required,
                description=text_read(prop.get("description", "")),
            )
        )
        nested, nested_prefix = prop, f"{prefix}{name}."
        if prop.get("type") == "array":
            nested, nested_prefix = (
                _resolved(prop.get("items", {}), components),
                f"{prefix}{name}[].",
            )
        reference = _reference_name(raw) or _reference_name(prop.get("items", {}))
        if nested.get("properties") and depth < MAX_FIELD_DEPTH and reference not in seen:
            fields.extend(
                _fields(
                    nested,
                    components,
                    nested_prefix,
                    depth + 1,
                    (*seen, reference) if reference else seen,
                    for_request=for_request,
                )
            )
    return fields


def type_text(schema: Schema, components: Schema) -> str:
    """A schema's type in words: "integer", "string (date), or null", "list of objects",
    "string: one of none, some"."""
    resolved = _resolved(schema, components)
    alternatives = resolved.get("oneOf") or resolved.get("anyOf")
    if alternatives:
        text = " or ".join(type_text(alternative, components) for alternative in alternatives)
    elif resolved.get("type") == "array":
        text = f"list of {_plural(_resolved(resolved.get('items', {}), components), components)}"
    elif "enum" in resolved:
        values = [str(value) for value in resolved["enum"] if value not in (None, "")]
        kind = resolved.get("type", "value")
        text = f"{kind}: one of {', '.join(values)}"
    else:
        kind = resolved.get("type") or ("object" if "properties" in resolved else "any value")
        text = f"{kind} ({resolved['format']})" if resolved.get("format") else kind
    if resolved.get("nullable") or None in resolved.get("enum", []):
        text += ", or null"
    return str(text)


def _plural(item: Schema, components: Schema) -> str:
    text = type_text(item, components)
    return PLURALS.get(text, f"items of type {text}")


def _with_article(text: str) -> str:
    return f"an {text}" if text[:1] in "aeiou" else f"a {text}"


def _named(parameter: Schema, shared: Schema) -> Schema:
    """A parameter, or the shared one its `$ref` names."""
    name = _reference_name(parameter)
    return shared.get(name, parameter) if name else parameter


def _reference_name(schema: Schema) -> str:
    reference = schema.get("$ref")
    if reference is None and len(schema.get("allOf", [])) == 1:
        reference = schema["allOf"][0].get("$ref")
    return str(reference).rsplit("/", 1)[-1] if reference else ""


def _resolved(schema: Schema, components: Schema) -> Schema:
    """The schema with a `$ref` (or a lone `allOf` reference) replaced by what it names; the
    schema's own keys, such as its description, win over the component's."""
    name = _reference_name(schema)
    if not name or name not in components:
        return schema
    own = {key: value for key, value in schema.items() if key not in ("$ref", "allOf")}
    return {**_resolved(components[name], components), **own}
