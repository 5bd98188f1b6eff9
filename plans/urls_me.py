"""``/me/``: everyone's own development (planned projects, records, hours, gaps)."""

from django.urls import path

from plans import views_me

app_name = "me"

urlpatterns = [
    path("", views_me.my_development, name="home"),
    path("report/", views_me.my_report, name="report"),
]
