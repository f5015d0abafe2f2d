from django.urls import path

from service import views

app_name = "service"

urlpatterns = [
    path("repair/new/", views.repair_new, name="repair_new"),
    path("installation/new/", views.installation_new, name="installation_new"),
    path("requests/", views.request_list, name="list"),
    path("requests/<str:number>/", views.request_detail, name="detail"),
    path("requests/<str:number>/act.pdf", views.act_download, name="act"),
    path("requests/<str:number>/decision/", views.request_decide, name="decide"),
    path("files/<uuid:token>/", views.attachment_download, name="attachment"),
]
