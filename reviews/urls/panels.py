"""Panel meetings, their agendas and decisions, and their minutes, mounted at /panels/.

Meetings and agenda items are found by their numbers: no personal data is ever in a URL.
"""

from django.urls import path

from reviews.views import panels

app_name = "panels"

urlpatterns = [
    path("", panels.meetings_page, name="meetings"),
    path("new/", panels.meeting_new, name="new"),
    path("<int:meeting_id>/", panels.meeting_page, name="meeting"),
    path("<int:meeting_id>/agenda/", panels.agenda_add, name="agenda-add"),
    path("<int:meeting_id>/minutes.pdf", panels.minutes, name="minutes"),
    *(
        path(
            f"<int:meeting_id>/cases/<int:item_id>/{slug}/",
            panels.decide,
            {"step": slug},
            name=slug,
        )
        for slug in panels.STEPS
    ),
]
