from django.urls import path

from portal.security import private_response
from staff import views, views_accounts, views_io, views_manpower

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
    # Logins of staff members, issued by HR (views_accounts).
    path("accounts/", views_accounts.account_list, name="accounts"),
    path("accounts/issue/", views_accounts.accounts_issue, name="accounts_issue"),
    path("accounts/issued/", views_accounts.accounts_issued, name="accounts_issued"),
    path("accounts/slips.pdf", views_accounts.account_slips, name="account_slips"),
    path("accounts/slips.xlsx", views_accounts.account_slips_xlsx, name="account_slips_xlsx"),
    path("<int:pk>/account/issue/", views_accounts.account_issue_one, name="account_issue"),
    path("<int:pk>/account/disable/", views_accounts.account_disable_view, name="account_disable"),
    path("<int:pk>/account/enable/", views_accounts.account_enable_view, name="account_enable"),
    path("<int:pk>/account/username/", views_accounts.account_username, name="account_username"),
    path("<int:pk>/account/link/", views_accounts.account_link_view, name="account_link"),
    # The 3-year manpower plan (views_manpower).
    path("manpower/", views_manpower.plan_list, name="manpower_list"),
    path("manpower/new/", views_manpower.plan_create, name="manpower_create"),
    path("manpower/<int:pk>/", views_manpower.plan_detail, name="manpower_detail"),
    path("manpower/<int:pk>/edit/", views_manpower.plan_edit, name="manpower_edit"),
    path("manpower/<int:pk>/revise/", views_manpower.plan_revise, name="manpower_revise"),
    path("manpower/<int:pk>/approve/", views_manpower.plan_approve, name="manpower_approve"),
    path("manpower/<int:pk>/export.xlsx", views_manpower.plan_export, name="manpower_export"),
]
