from django.urls import path

from salesrelay.compensation import plan_views, views

app_name = "compensation"

urlpatterns = [
    path("", views.pay_home, name="home"),
    path("periods/", views.period_list, name="periods"),
    path("periods/<str:month>/", views.period_detail, name="period"),
    path("periods/<str:month>/statements.xlsx", views.statements_xlsx, name="xlsx"),
    path("periods/<str:month>/<str:action>/", views.period_action, name="period_action"),
    path("statements/<str:month>/<str:employee>/", views.statement, name="statement"),
    path("statements/<str:month>/<str:employee>/approve/", views.approve_statement_view,
         name="approve_statement"),
    path("lines/<int:pk>/dispute/", views.dispute_line, name="dispute"),
    path("disputes/", views.dispute_list, name="disputes"),
    path("disputes/<int:pk>/resolve/", views.resolve, name="resolve"),
    path("plan/", views.plan_page, name="plan"),
    path("plan/form/", plan_views.plan_form_page, name="plan_form"),
    path("simulate/", views.simulate_page, name="simulate"),
    path("design/", views.design_page, name="design"),
]
