from django.urls import path

from portal.security import private_response
from staff import views, views_io, views_manpower

app_name = "staff"

urlpatterns = [
    path("", views.staff_list, name="list"),
    path("new/", views.staff_create, name="create"),
    path("<int:pk>/", views.staff_detail, name="detail"),
    path("<int:pk>/edit/", views.staff_edit, name="edit"),
    path("<int:pk>/leave/", views.staff_leave, name="leave"),
    path("<int:pk>/history/", views.staff_history, name="history"),
    path("units/", views.unit_list, name="units"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/delete/", views.unit_delete, name="unit_delete"),
    path("positions/", views.position_list, name="positions"),
    path("positions/new/", views.position_create, name="position_create"),
    path("positions/<int:pk>/edit/", views.position_edit, name="position_edit"),
    # Excel and CSV in and out (views_io).
    path("import/", views_io.import_upload, name="import"),
    path("import/confirm/", views_io.import_confirm, name="import_confirm"),
    path("import/template.xlsx", views_io.import_template, name="import_template"),
    # Citizen IDs: kept out of caches (the view is the import pipeline's).
    path("export.xlsx", private_response(views_io.export_xlsx), name="export"),
    # The 3-year manpower plan (views_manpower).
    path("manpower/", views_manpower.plan_list, name="manpower_list"),
    path("manpower/new/", views_manpower.plan_create, name="manpower_create"),
    path("manpower/<int:pk>/", views_manpower.plan_detail, name="manpower_detail"),
    path("manpower/<int:pk>/edit/", views_manpower.plan_edit, name="manpower_edit"),
    path("manpower/<int:pk>/revise/", views_manpower.plan_revise, name="manpower_revise"),
    path("manpower/<int:pk>/approve/", views_manpower.plan_approve, name="manpower_approve"),
    path("manpower/<int:pk>/export.xlsx", views_manpower.plan_export, name="manpower_export"),
]
