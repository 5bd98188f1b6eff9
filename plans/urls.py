from django.urls import path

from plans import views, views_checks, views_follow, views_io, views_pdf

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/propose/", views.plan_propose, name="propose"),
    path("<int:pk>/send-back/", views.plan_send_back, name="send_back"),
    path("<int:pk>/approve/", views.plan_approve, name="approve"),
    path("<int:pk>/publish/", views.plan_publish, name="publish"),
    path("<int:pk>/revise/", views.plan_revise, name="revise"),
    path("<int:pk>/changes/", views.plan_changes, name="changes"),
    path("<int:pk>/projects/new/", views.project_create, name="project_create"),
    path("<int:pk>/projects/<int:project_id>/", views.project_row, name="project_row"),
    path("<int:pk>/projects/<int:project_id>/edit/", views.project_edit, name="project_edit"),
    path("<int:pk>/projects/<int:project_id>/delete/", views.project_delete, name="project_delete"),
    path("<int:pk>/years/<int:fy>/", views.annual_plan, name="annual"),
    # Projects as Excel (views_io).
    path("<int:pk>/projects/import/", views_io.projects_import, name="projects_import"),
    path(
        "<int:pk>/projects/import/confirm/",
        views_io.projects_import_confirm,
        name="projects_import_confirm",
    ),
    path("<int:pk>/projects/export.xlsx", views_io.projects_export, name="projects_export"),
    # Coverage and alignment checks; drafting projects from the skill gaps (views_checks).
    path("<int:pk>/checks/", views_checks.checks, name="checks"),
    path("<int:pk>/suggest/", views_checks.suggestions, name="suggest"),
    path("<int:pk>/suggest/<str:key>/", views_checks.suggestion_accept, name="suggest_accept"),
    path(
        "<int:pk>/suggest/<str:key>/dismiss/",
        views_checks.suggestion_dismiss,
        name="suggest_dismiss",
    ),
    # Following the year: attendance, progress, the ITA reports (views_follow).
    path("<int:pk>/years/<int:fy>/progress/", views_follow.progress_report, name="progress"),
    path("<int:pk>/years/<int:fy>/results/", views_follow.results_report, name="results"),
    path(
        "<int:pk>/years/<int:fy>/projects/<int:project_id>/attendance/",
        views_follow.attendance,
        name="attendance",
    ),
    path(
        "<int:pk>/years/<int:fy>/projects/<int:project_id>/progress/",
        views_follow.project_progress,
        name="project_progress",
    ),
    path("records/", views_follow.records_to_confirm, name="records"),
    path("records/<int:record_id>/confirm/", views_follow.record_confirm, name="record_confirm"),
    path(
        "records/<int:record_id>/certificate/",
        views_follow.record_certificate,
        name="record_certificate",
    ),
    # Printed documents (views_pdf).
    path("<int:pk>/pdf/", views_pdf.plan_book, name="plan_pdf"),
    path("<int:pk>/years/<int:fy>/pdf/", views_pdf.annual_plan, name="annual_pdf"),
    path("<int:pk>/years/<int:fy>/progress.pdf", views_pdf.progress_report, name="progress_pdf"),
    path("<int:pk>/years/<int:fy>/results.pdf", views_pdf.results_report, name="results_pdf"),
]
