from django.urls import path

from plans import views, views_io

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
]
