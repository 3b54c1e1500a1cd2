"""Writes to users, their roles and their devices."""

import hashlib
import secrets
import uuid

from django.db import transaction
from django.utils import timezone

from congdongso.accounts.models import Device, Role, RoleAssignment, User
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


# --- devices and their sync tokens ----------------------------------------------------------------

TOKEN_PREFIX = "cds_"


def token_hash(token: str) -> str:
    """Tokens are 32 random bytes: a plain SHA-256 is enough (nothing to guess), and a lookup is an index probe."""
    return hashlib.sha256(token.encode()).hexdigest()


def device_seen(
    *, user: User, device_id: uuid.UUID, label: str = "", pending: int | None = None, synced: bool = False
) -> Device:
    """The device a user syncs from, made the first time it is seen; `pending` is what the phone says
    is still waiting in its outbox, `synced` stamps the last sync."""
    device, _created = Device.objects.get_or_create(
        user=user, device_id=device_id, defaults={"label": (label or "").strip()[:80]}
    )
    changes: dict = {}
    if synced:
        changes["last_sync_at"] = timezone.now()
    if pending is not None and pending != device.pending_events:
        changes["pending_events"] = max(0, min(int(pending), 2**31 - 1))
    if changes:
        Device.objects.filter(pk=device.pk).update(**changes)
        for field, value in changes.items():
            setattr(device, field, value)
    return device


def device_token_issue(*, user: User, device_id: uuid.UUID, label: str = "") -> tuple[Device, str]:
    """Give a device a new bearer token and return it: this is the only time it is seen (only its hash
    is stored). An earlier token of the device stops working. A revoked device cannot get one."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        device = device_seen(user=user, device_id=device_id, label=label)
        if device.is_revoked:
            raise PermissionError("device revoked")
        device.token_hash = token_hash(token)
        fields = ["token_hash"]
        if label and label.strip()[:80] != device.label:
            device.label = label.strip()[:80]
            fields.append("label")
        device.save(update_fields=fields)
        record(actor_id=user.pk, action="device.token", object_type="accounts.device", object_id=device.pk)
    return device, token


def device_for_token(token: str) -> Device | None:
    """The live device a bearer token belongs to (none for a revoked device or an inactive user)."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    device = Device.objects.select_related("user").filter(token_hash=token_hash(token), revoked_at__isnull=True).first()
    if device is None or not device.user.is_active:
        return None
    return device


def device_revoke(*, device: Device, actor_id: int | None) -> Device:
    """Stop a device: its token no longer works and it may not sync again (the caller checks that the
    actor is its owner or manages the owner's unit)."""
    with transaction.atomic():
        Device.objects.filter(pk=device.pk).update(revoked_at=timezone.now(), token_hash=None)
        device.refresh_from_db()
        record(
            actor_id=actor_id, action="device.revoke", object_type="accounts.device", object_id=device.pk,
            details={"user": device.user_id},
        )
    return device
