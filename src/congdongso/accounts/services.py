"""Writes to users and their roles."""

from django.db import transaction

from congdongso.accounts.models import Role, RoleAssignment, User
from congdongso.audit.writer import record
from congdongso.geo.models import Unit


def role_assign(*, user: User, role: str, unit: Unit | None, actor_id: int | None) -> RoleAssignment:
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit)
        if created:
            record(
                actor_id=actor_id, action="role.assign", object_type="accounts.user", object_id=user.pk,
                unit_id=unit.pk if unit else None, details={"role": role},
            )
    return assignment


def user_create(
    *, username: str, password: str, display_name: str, role: str, unit: Unit | None, actor_id: int | None
) -> User:
    """Create a user holding one role on one unit (national admins hold theirs on no unit)."""
    with transaction.atomic():
        user = User.objects.create_user(
            username=username, password=password, display_name=display_name,
            is_staff=role == Role.NATIONAL_ADMIN, is_superuser=role == Role.NATIONAL_ADMIN,
        )
        role_assign(user=user, role=role, unit=unit, actor_id=actor_id)
    return user


def move_role_assignments(source_ids: list[int], target_id: int) -> int:
    """Unit-merge mover: roles on merged units move to the target, without doubling a role the
    user already holds there (or holds on two of the merged units)."""
    held = set(RoleAssignment.objects.filter(unit_id=target_id).values_list("user_id", "role"))
    doubled: list[int] = []
    moving: list[int] = []
    for assignment in RoleAssignment.objects.filter(unit_id__in=source_ids).order_by("pk"):
        key = (assignment.user_id, assignment.role)
        (doubled if key in held else moving).append(assignment.pk)
        held.add(key)
    RoleAssignment.objects.filter(pk__in=doubled).delete()
    RoleAssignment.objects.filter(pk__in=moving).update(unit_id=target_id)
    return len(moving)
