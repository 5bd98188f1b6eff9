"""``/plans/``: each group of paths is one feature, served by one view module whose
forms and templates it names (``/me/`` is in urls_me.py, the public PDFs in
urls_public.py)."""

from django.urls import URLPattern, include, path

from plans import (
    views,
    views_checks,
    views_documents,
    views_follow,
    views_io,
    views_projects,
    views_suggestions,
    views_workflow,
)

PROGRESS, RESULTS = {"first_half": True}, {"first_half": False}


def printed_documents(*, plan_book, annual_plan, year_report, issued_report) -> list[URLPattern]:
    """The PDF routes below a plan: the same for HR (``/plans/``) and for the public
    (``/t/<slug>/plans/``), so that a public link is the internal one with a prefix.
    A report's PDF is its latest issue once it has one; each issue has its own."""
    year = "<int:pk>/years/<int:fy>/"
    return [
        path("<int:pk>/pdf/", plan_book, name="plan_pdf"),
        path(f"{year}pdf/", annual_plan, name="annual_pdf"),
        path(f"{year}progress.pdf", year_report, PROGRESS, name="progress_pdf"),
        path(f"{year}results.pdf", year_report, RESULTS, name="results_pdf"),
        path(
            f"{year}progress/issued/<int:number>.pdf",
            issued_report,
            PROGRESS,
            name="progress_issued_pdf",
        ),
        path(
            f"{year}results/issued/<int:number>.pdf",
            issued_report,
            RESULTS,
            name="results_issued_pdf",
        ),
    ]


app_name = "plans"

urlpatterns = [
    # The plan itself and its revisions (views).
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/changes/", views.plan_changes, name="changes"),
    path("<int:pk>/history/", views.plan_history, name="history"),
    path("<int:pk>/revise/", views.plan_revise, name="revise"),
    # The approval chain (views_workflow).
    path("<int:pk>/submit/", views_workflow.plan_step, {"step": "submit"}, name="submit"),
    path("<int:pk>/propose/", views_workflow.plan_step, {"step": "propose"}, name="propose"),
    path("<int:pk>/send-back/", views_workflow.plan_send_back, name="send_back"),
    path("<int:pk>/approve/", views_workflow.plan_approve, name="approve"),
    path("<int:pk>/publish/", views_workflow.plan_step, {"step": "publish"}, name="publish"),
    # Its projects, edited in place (views_projects) and as Excel (views_io).
    path(
        "<int:pk>/projects/",
        include(
            [
                path("new/", views_projects.project_create, name="project_create"),
                path("<int:project_id>/", views_projects.project_row, name="project_row"),
                path("<int:project_id>/edit/", views_projects.project_edit, name="project_edit"),
                path(
                    "<int:project_id>/delete/", views_projects.project_delete, name="project_delete"
                ),
                path("import/", views_io.projects_import, name="projects_import"),
                path(
                    "import/confirm/",
                    views_io.projects_import_confirm,
                    name="projects_import_confirm",
                ),
                path("export.xlsx", views_io.projects_export, name="projects_export"),
            ]
        ),
    ),
    # Who and what no project reaches (views_checks); suggestions from the gaps
    # (views_suggestions).
    path("<int:pk>/checks/", views_checks.checks, name="checks"),
    path(
        "<int:pk>/suggest/",
        include(
            [
                path("", views_suggestions.suggestion_list, name="suggestions"),
                path("<str:key>/", views_suggestions.suggestion_accept, name="suggestion_accept"),
                path(
                    "<str:key>/dismiss/",
                    views_suggestions.suggestion_dismiss,
                    name="suggestion_dismiss",
                ),
            ]
        ),
    ),
    # A fiscal year: the documents as pages (views_documents); attendance and progress
    # recorded per project (views_follow).
    path(
        "<int:pk>/years/<int:fy>/",
        include(
            [
                path("", views_documents.annual_plan, name="annual"),
                path("progress/", views_documents.year_report, PROGRESS, name="progress"),
                path("results/", views_documents.year_report, RESULTS, name="results"),
                path(
                    "progress/issue/",
                    views_documents.year_report_issue,
                    PROGRESS,
                    name="progress_issue",
                ),
                path(
                    "results/issue/",
                    views_documents.year_report_issue,
                    RESULTS,
                    name="results_issue",
                ),
                path(
                    "projects/<int:project_id>/attendance/",
                    views_follow.attendance,
                    name="attendance",
                ),
                path(
                    "projects/<int:project_id>/progress/",
                    views_follow.project_progress,
                    name="project_progress",
                ),
            ]
        ),
    ),
    # The documents as PDFs (views_documents).
    *printed_documents(
        plan_book=views_documents.plan_book_pdf,
        annual_plan=views_documents.annual_plan_pdf,
        year_report=views_documents.year_report_pdf,
        issued_report=views_documents.year_report_issued_pdf,
    ),
    # Courses staff reported, for HR to confirm (views_follow).
    path(
        "records/",
        include(
            [
                path("", views_follow.records_to_confirm, name="records"),
                path(
                    "<int:record_id>/confirm/", views_follow.record_confirm, name="record_confirm"
                ),
                path(
                    "<int:record_id>/certificate/",
                    views_follow.record_certificate,
                    name="record_certificate",
                ),
            ]
        ),
    ),
]
