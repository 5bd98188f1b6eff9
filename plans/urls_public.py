"""Login-free printed documents of published plans, under ``/t/<slug>/plans/`` (the
public transparency page stays at ``/t/<slug>/`` itself, in portal/urls.py)."""

from django.urls import include, path

from plans import views_documents
from plans.urls import printed_documents

app_name = "plans_public"

urlpatterns = [
    path(
        "plans/",
        include(
            printed_documents(
                plan_book=views_documents.public_plan_book_pdf,
                annual_plan=views_documents.public_annual_plan_pdf,
                year_report=views_documents.public_year_report_pdf,
                issued_report=views_documents.public_year_report_issued_pdf,
            )
        ),
    ),
]
