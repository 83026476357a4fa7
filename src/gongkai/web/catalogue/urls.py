from __future__ import annotations

from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("new/", views.item_new, name="new"),
    path("<int:pk>/", views.item_detail, name="detail"),
    path("<int:pk>/edit/", views.item_edit, name="edit"),
    path("<int:pk>/review/", views.item_review, name="review"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("import/template.xlsx", views.import_template, name="template"),
    path("settings/<int:org>/", views.settings_edit, name="settings"),
    path("table-two/", views.table_two_home, name="table_two_home"),
    path("table-two/<int:org>/<int:year>/", views.table_two_page, name="table_two"),
]
