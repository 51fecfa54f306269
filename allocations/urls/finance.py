"""Finance lead pages: versions per client group, drafts, editing, publishing, comparing."""

from django.urls import path

from allocations.views import finance

app_name = "finance"

urlpatterns = [
    path("", finance.index, name="index"),
    path("compare/", finance.compare, name="compare"),
    path("groups/<slug:code>/", finance.group_versions, name="group-versions"),
    path("groups/<slug:code>/new-draft/", finance.draft_create, name="draft-create"),
    path("<int:pk>/", finance.version_detail, name="version-detail"),
    path("<int:pk>/edit/", finance.draft_edit, name="draft-edit"),
    path("<int:pk>/publish/", finance.draft_publish, name="draft-publish"),
]
