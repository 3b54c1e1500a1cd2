"""The one way to write the audit trail. A leaf: imports no domain app.

`details` holds ids, codes and counts only. Free text that might carry a person's name or phone
does not belong here; the writer refuses values that are not plain scalars or lists of them.
"""

from collections.abc import Mapping
from typing import Any

from congdongso.audit.models import AuditEvent

_SCALARS = (str, int, float, bool, type(None))
_MAX_TEXT = 200


def record(
    *,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: object,
    unit_id: int | None = None,
    details: Mapping[str, Any] | None = None,
) -> AuditEvent:
    clean = _checked_details(details or {})
    return AuditEvent.objects.create(
        actor_id=actor_id, action=action, object_type=object_type, object_id=str(object_id),
        unit_id=unit_id, details=clean,
    )


def _checked_details(details: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in details.items():
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if not isinstance(item, _SCALARS):
                raise TypeError(f"audit detail {key!r} must be a scalar or a list of scalars")
            if isinstance(item, str) and len(item) > _MAX_TEXT:
                raise ValueError(f"audit detail {key!r} is too long to be an id or a code")
    return {key: list(value) if isinstance(value, tuple) else value for key, value in details.items()}
