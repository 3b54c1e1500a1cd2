"""Apps above `outreach` that care when follow-ups close register a callback here, in their
AppConfig.ready(); the outreach services call them all inside the closing transaction, so outreach
imports none of them (feedback closes a resident's home-visit request this way)."""

from collections.abc import Callable

# Called with the ids of the follow-ups just closed, their new status ("done" or "cancelled") and
# the acting user's id (None when no one acted directly).
FollowUpsClosed = Callable[[list[int], str, int | None], None]

_follow_ups_closed: list[FollowUpsClosed] = []


def register_follow_ups_closed(callback: FollowUpsClosed) -> None:
    if callback not in _follow_ups_closed:
        _follow_ups_closed.append(callback)


def follow_ups_closed(ids: list[int], *, status: str, actor_id: int | None) -> None:
    if not ids:
        return
    for callback in _follow_ups_closed:
        callback(list(ids), status, actor_id)


# Apps above `outreach` that constrain what an assist may carry register a check here (campaigns:
# the campaign tagged must be running on the day of the help and cover the household's village).
# `assist_record` runs them all before writing; a check refuses with a ValidationError.
AssistCheck = Callable[..., None]
"""Called with keywords `village` (a geo Unit), `occurred_at` and `campaign_id` (or None)."""

_assist_checks: list[AssistCheck] = []


def register_assist_check(check: AssistCheck) -> None:
    if check not in _assist_checks:
        _assist_checks.append(check)


def assist_checks_run(*, village, occurred_at, campaign_id: int | None) -> None:
    for check in _assist_checks:
        check(village=village, occurred_at=occurred_at, campaign_id=campaign_id)
