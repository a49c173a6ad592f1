"""The URLconf the course's settings name (`ROOT_URLCONF`)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .views import LoginView, LogoutView, MeView, RegisterView, RoleView, TicketViewSet

router = DefaultRouter()
router.register("tickets", TicketViewSet, basename="ticket")

urlpatterns = [
    path("api/auth/register/", RegisterView.as_view()),
    path("api/auth/token/", LoginView.as_view()),
    path("api/auth/logout/", LogoutView.as_view()),
    path("api/users/me/", MeView.as_view()),
    path("api/users/<int:pk>/role/", RoleView.as_view()),
    path("api/", include(router.urls)),
]
