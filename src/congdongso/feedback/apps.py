from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "congdongso.feedback"
    label = "feedback"
    verbose_name = _("Phản ánh, kiến nghị")

    def ready(self) -> None:
        from congdongso.feedback import services
        from congdongso.feedback.notifications import register_default_channels
        from congdongso.households.registry import register_anonymiser
        from congdongso.outreach.registry import register_follow_ups_closed

        # A home-visit request resolves when its follow-up closes (the assist was recorded).
        register_follow_ups_closed(services.follow_ups_closed)
        # A household withdrawing consent takes the contact details of its reports with it.
        register_anonymiser(services.household_contacts_erase)
        register_default_channels()

        from congdongso.feedback.metrics import recount
        from congdongso.indicators.registry import register_metric_source

        register_metric_source("feedback", recount)
