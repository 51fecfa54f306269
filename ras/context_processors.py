"""Values every page needs: the council's and the service's names."""

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, str]:
    return {"council_name": settings.COUNCIL_NAME, "service_name": settings.SERVICE_NAME}
