from django.urls import path

from skills import views, views_me, views_pdf, views_reminders

app_name = "skills"

urlpatterns = [
    # HR and executives (views).
    path("targets/", views.targets, name="targets"),
    path("groups/", views.groups, name="groups"),
    path("groups/people/<int:pk>/", views.group_override, name="group_override"),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/remind/", views.round_remind, name="round_remind"),
    path("rounds/<int:pk>/reminders/", views_reminders.round_reminders, name="round_reminders"),
    path("rounds/<int:pk>/results/", views.round_results, name="round_results"),
    path("rounds/<int:pk>/results.xlsx", views.round_results_xlsx, name="round_results_xlsx"),
    # Printed documents (views_pdf).
    path("rounds/<int:pk>/summary.pdf", views_pdf.round_summary, name="round_summary_pdf"),
    path("assessments/<int:pk>/result.pdf", views_pdf.assessment_result, name="assessment_pdf"),
    # Everyone's own self-assessment (views_me).
    path("me/", views_me.my_skills, name="me"),
    path("rounds/<int:pk>/assess/", views_me.assess, name="assess"),
    path("rounds/<int:pk>/assess/submit/", views_me.assess_submit, name="assess_submit"),
    path("assessments/<int:pk>/", views_me.assessment_detail, name="assessment_detail"),
]
