"""The API reference page, made from the same OpenAPI schema as /api/schema/ serves.

The page is a REST framework view with the schema view's own authentication and permission
classes, so it is exactly as open as the schema (`SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]`:
anyone, by default). It renders a Django template, so it has the service's base template, its
header and its Content Security Policy like any other page.
"""

from functools import cache
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.request import Request
from rest_framework.views import APIView

from ras.api_reference.reading import ApiReference, api_reference_read


@cache
def api_reference() -> ApiReference:
    """The schema, generated once in each process: it changes only with the code.

    Generated for the public, as the schema view does (drf-spectacular's `SERVE_PUBLIC`), so the
    page lists every operation whoever reads it.
    """
    generator = spectacular_settings.DEFAULT_GENERATOR_CLASS(
        urlconf=spectacular_settings.SERVE_URLCONF
    )
    return api_reference_read(generator.get_schema(request=None, public=True))


@cache
def api_reference_html() -> str:
    """The contents and the operations, rendered once in each process: some 1,200 table rows
    take a fifth of a second to render, and nothing in them depends on who reads them."""
    return render_to_string("api_reference/reference.html", {"api": api_reference()})


class ApiReferenceView(APIView):
    """Every operation of the API: parameters, request body fields and responses, by tag."""

    authentication_classes = SpectacularAPIView.authentication_classes
    permission_classes = SpectacularAPIView.permission_classes

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(
            request._request,
            "api_reference/index.html",
            {"api": api_reference(), "reference_html": api_reference_html()},
        )
