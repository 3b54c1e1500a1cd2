from django.contrib import admin

from congdongso.teams.models import Attendance, Membership, Team, Training


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "decision_number", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "decision_number"]
    raw_id_fields = ["unit"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["display_name", "team", "role", "affiliation", "joined_on", "left_on"]
    list_filter = ["role", "affiliation"]
    raw_id_fields = ["team", "user"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    raw_id_fields = ["membership"]
    extra = 0


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "held_on"]
    raw_id_fields = ["unit"]
    inlines = [AttendanceInline]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["training", "membership", "recorded_at"]
    raw_id_fields = ["training", "membership"]
