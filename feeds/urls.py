from django.urls import path

from feeds import views

app_name = "feeds"

urlpatterns = [
    path("feeds/yml.xml", views.yml_feed, name="yml"),
]
