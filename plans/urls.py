from django.urls import URLPattern, path

from plans import views, views_checks, views_documents, views_follow, views_io

PROGRESS, RESULTS = {"first_half": True}, {"first_half": False}


def printed_documents(*, plan_book, annual_plan, year_report) -> list[URLPattern]:
    """The PDF routes below a plan: the same for HR (``/plans/``) and for the public
    (``/t/<slug>/plans/``), so that a public link is the internal one with a prefix."""
    return [
        path("<int:pk>/pdf/", plan_book, name="plan_pdf"),
        path("<int:pk>/years/<int:fy>/pdf/", annual_plan, name="annual_pdf"),
        path("<int:pk>/years/<int:fy>/progress.pdf", year_report, PROGRESS, name="progress_pdf"),
        path("<int:pk>/years/<int:fy>/results.pdf", year_report, RESULTS, name="results_pdf"),
    ]


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
    # The documents: pages and PDFs (views_documents).
    path("<int:pk>/years/<int:fy>/", views_documents.annual_plan, name="annual"),
    path(
        "<int:pk>/years/<int:fy>/progress/", views_documents.year_report, PROGRESS, name="progress"
    ),
    path("<int:pk>/years/<int:fy>/results/", views_documents.year_report, RESULTS, name="results"),
    *printed_documents(
        plan_book=views_documents.plan_book_pdf,
        annual_plan=views_documents.annual_plan_pdf,
        year_report=views_documents.year_report_pdf,
    ),
]
