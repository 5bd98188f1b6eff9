from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from portal import history_views, views, views_roles
from portal.accounts import views as accounts_views
from portal.accounts.forms import ResetSetPasswordForm
from portal.public import public_include

portal_patterns = (
    [
        path("", views.dashboard, name="dashboard"),
        path("switch/", views.switch_organization, name="switch"),
        path("history/", history_views.history_log, name="history"),
        path("t/<slug:slug>/", views.public_page, name="public"),
        path("settings/", views.settings_edit, name="settings"),
        path("settings/roles/", views_roles.role_list, name="roles"),
        path("settings/roles/<int:membership_id>/", views_roles.role_change, name="role_change"),
        path("settings/roles/new/", views_roles.login_add, name="login_add"),
        path("settings/roles/slip/", views_roles.login_slip, name="login_slip"),
        path("settings/roles/<int:membership_id>/code/", views_roles.login_code, name="login_code"),
    ],
    "portal",
)

urlpatterns = [
    path("", include(portal_patterns)),
    path("staff/", include("staff.urls")),
    path("skills/", include("skills.urls")),
    path("plans/", include("plans.urls")),
    path("me/", include("plans.urls_me")),
    # The public documents of /t/<slug>/ (the page itself is portal:public above); all
    # of them answer 404 while the organisation's public page is off.
    path("t/<slug:slug>/", public_include("plans.urls_public")),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", accounts_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts_views.logout, name="logout"),
    path("accounts/activate/", accounts_views.activate, name="activate"),
    path(
        "accounts/password_reset/",
        accounts_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password_reset/confirm/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=ResetSetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password_reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
