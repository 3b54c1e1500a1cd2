from django.db.models import Q
from django.http import HttpRequest
from ninja import Router, Schema

from congdongso.catalog import selectors
from congdongso.catalog.models import Skill

router = Router(tags=["catalog"])


class ServiceOut(Schema):
    code: str
    name: str
    skill: str
    skill_label: str
    description: str
    province_id: int | None
    needs_smartphone: bool
    sort_order: int


@router.get("/services", response=list[ServiceOut], summary="Dịch vụ số: toàn quốc và của các tỉnh trong phạm vi của bạn")
def list_services(request: HttpRequest, skill: str = "", province_id: int | None = None, limit: int = 100, offset: int = 0):
    """Active services, ordered as the catalogue shows them. `province_id` narrows to the national
    services plus that province's own (a province outside the caller's scope adds nothing)."""
    limit = max(1, min(limit, 200))
    offset = max(offset, 0)
    services = selectors.services_visible(request.user)
    if skill in Skill.values:
        services = services.filter(skill=skill)
    elif skill:
        return []
    if province_id is not None:
        services = services.filter(Q(province_id=province_id) | Q(province__isnull=True))
    return [
        {
            "code": s.code, "name": s.name, "skill": s.skill, "skill_label": str(s.get_skill_display()),
            "description": s.description, "province_id": s.province_id, "needs_smartphone": s.needs_smartphone,
            "sort_order": s.sort_order,
        }
        for s in services.order_by("sort_order", "code")[offset : offset + limit]
    ]
