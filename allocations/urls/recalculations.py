"""Finance lead pages for recalculation runs, at /finance/recalculations/."""

from django.urls import path

from allocations.views import recalculations

app_name = "recalculations"

urlpatterns = [
    path("", recalculations.run_list, name="list"),
    path("new/", recalculations.run_start, name="start"),
    path("compare/", recalculations.run_compare, name="compare"),
    path("<int:pk>/", recalculations.run_detail, name="detail"),
    path("<int:pk>/progress/", recalculations.run_progress_panel, name="progress"),
    path("<int:pk>/cancel/", recalculations.run_cancel, name="cancel"),
    path("<int:pk>/resume/", recalculations.run_resume, name="resume"),
    path("<int:pk>/results/", recalculations.run_results, name="results"),
    path("<int:pk>/results.csv", recalculations.run_results_csv, name="results-csv"),
    path("<int:pk>/results.xlsx", recalculations.run_results_xlsx, name="results-xlsx"),
]
