"""Login-free printed documents of published plans, under ``/t/<slug>/`` (the public
transparency page stays at ``/t/<slug>/`` itself, in portal/urls.py)."""

from django.urls import path

from plans import views_public

app_name = "plans_public"

urlpatterns = [
    path("plans/<int:pk>/pdf/", views_public.plan_book, name="plan_pdf"),
    path("plans/<int:pk>/years/<int:fy>/pdf/", views_public.annual_plan, name="annual_pdf"),
    path(
        "plans/<int:pk>/years/<int:fy>/progress.pdf",
        views_public.progress_report,
        name="progress_pdf",
    ),
    path(
        "plans/<int:pk>/years/<int:fy>/results.pdf",
        views_public.results_report,
        name="results_pdf",
    ),
]
