"""The campaign choice on the member's visit screen.

Preselected, so the common case stays two taps (what was helped, then the outcome): the member's
last choice while the same campaigns are running (remembered in the session, "none" included),
else the campaign when exactly one is running, else none. With several running the member picks
one once; the choice then sticks for the next households.
"""

from collections.abc import Sequence

from congdongso.campaigns.models import Campaign

SESSION_KEY = "campaigns.visit_pick"


def campaign_initial(session, running: Sequence[Campaign]) -> str:
    """The campaign radio's preselected value ("" = none)."""
    if not running:
        return ""
    ids = sorted(c.pk for c in running)
    remembered = session.get(SESSION_KEY)
    if isinstance(remembered, dict) and remembered.get("among") == ids:
        pick = remembered.get("pick")
        return str(pick) if pick in ids else ""
    return str(ids[0]) if len(ids) == 1 else ""


def campaign_remember(session, running: Sequence[Campaign], picked: int | None) -> None:
    if running:
        session[SESSION_KEY] = {"among": sorted(c.pk for c in running), "pick": picked or 0}
