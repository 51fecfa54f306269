"""Every URL pattern of the project, with the names of its route parameters and the view that
answers each HTTP method, for tests that check a rule holds on every page."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, as `reverse` takes it
    route: str
    parameters: frozenset[str]
    defaults: dict[str, Any] = field(hash=False)
    views: dict[str, Callable[..., Any]] = field(hash=False)  # by HTTP method

    @property
    def namespace(self) -> str:
        return self.name.rpartition(":")[0]


def project_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns, "", "", frozenset()))


def _walk(
    patterns: list[Any], prefix: str, namespace: str, parameters: frozenset[str]
) -> Iterator[Route]:
    for pattern in patterns:
        found = frozenset(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(
                pattern.url_patterns, prefix + str(pattern.pattern), inner, parameters | found
            )
        elif isinstance(pattern, URLPattern):
            yield Route(
                name=f"{namespace}{pattern.name or ''}",
                route=prefix + str(pattern.pattern),
                parameters=parameters | found,
                defaults=dict(pattern.default_args),
                views=_views_by_method(pattern.callback),
            )


def _views_by_method(callback: Callable[..., Any]) -> dict[str, Callable[..., Any]]:
    """A REST framework view set answers each method with one of its actions; a class-based
    view with its method of that name; a function view answers them all itself."""
    actions = getattr(callback, "actions", None)
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if actions and view_class is not None:
        return {method: getattr(view_class, action) for method, action in actions.items()}
    if view_class is not None:
        return {
            method: getattr(view_class, method)
            for method in HTTP_METHODS
            if hasattr(view_class, method)
        }
    return dict.fromkeys(HTTP_METHODS, callback)
