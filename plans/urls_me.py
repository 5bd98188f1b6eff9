"""``/me/``: everyone's own development (planned projects, records, hours, gaps)."""

from django.urls import path

from plans import views_follow

app_name = "me"

urlpatterns = [
    path("", views_follow.my_development, name="home"),
    path("report/", views_follow.my_report, name="report"),
]
