"""The data: each user's role, and the support tickets."""

from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone


class Profile(models.Model):
    ROLES = [("customer", "customer"), ("agent", "agent"), ("admin", "admin")]

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=10, choices=ROLES, default="customer")

    class Meta:
        app_label = "capstone"


class Ticket(models.Model):
    STATUSES = [("open", "open"), ("pending", "pending"), ("closed", "closed")]
    PRIORITIES = [("low", "low"), ("normal", "normal"), ("high", "high")]

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tickets")
    assignee = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_tickets"
    )
    title = models.CharField(max_length=120)
    body = models.TextField(blank=True, default="")
    status = models.CharField(max_length=10, choices=STATUSES, default="open")
    priority = models.CharField(max_length=10, choices=PRIORITIES, default="normal")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "capstone"
