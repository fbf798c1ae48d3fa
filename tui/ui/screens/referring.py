"""What the finder does with the selected resource: copy its contact, refer it, and
open the screens written alongside (referral log, settings).

A mixin of ``FinderScreen`` (it uses ``selected``, ``catalogue``, ``lang``, ``needs``
and ``area_value``); every database or file touch runs in a thread worker.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual import work
from textual.screen import Screen

from tui.core.models import Hit
from tui.core.public import for_output
from tui.core.store.catalogue import Catalogue
from tui.i18n import t

from ..display import contact_text, has_contact, place_filter_value
from ..host import host
from ..messages import ContactReady, ReferralFailed, ReferralSaved
from .prompt import PromptScreen


class ReferActions(Screen):
    catalogue: Catalogue
    lang: str
    today: date
    selected: Hit | None
    needs: tuple[str, ...]

    if TYPE_CHECKING:  # the finder's own, named here for the type checker
        def explain(self, key: str) -> bool: ...

        def area_value(self) -> str | None: ...

    # -- copy and refer ------------------------------------------------------------

    def action_copy_contact(self) -> None:
        if self.explain("c") and self.selected is not None:
            self._copy_contact(self.selected.id)

    @work(thread=True, group="contact")
    def _copy_contact(self, resource_id: str) -> None:
        resource = self.catalogue.get(resource_id)
        if resource is not None:
            name = for_output(resource.name, multiline=False)
            self.post_message(ContactReady(name, contact_text(resource, self.lang), has_contact(resource)))

    def on_contact_ready(self, message: ContactReady) -> None:
        self.app.copy_to_clipboard(message.text)
        key = "finder.copied" if message.reachable else "finder.copied_no_contact"
        self.notify(
            t(key, self.lang, name=message.name),
            markup=False,
            severity="information" if message.reachable else "warning",
        )

    def action_refer(self, remarks: str = "") -> None:
        hit = self.selected
        if not self.explain("r"):
            return
        # No prompt in the way: `/`, typing, escape, r refers the best match at once
        # (under the case reference when one is set with k).
        self._refer(hit, host(self).case_ref, self.needs, self.area_value(), remarks, self._asked_area())

    def _asked_area(self) -> str | None:
        """The area first asked for, once `w` widened it: logged beside the area in force, so a 圏外
        result counts as an unmet local need there and its transport is paired with the client's town."""
        origin = getattr(self, "widened_from", None)
        place = self.catalogue.gazetteer.places.get(origin) if origin else None
        return place_filter_value(place) if place else None

    def action_refer_remarks(self) -> None:
        if not self.explain("R") or self.selected is None:
            return

        def answered(remarks: str | None) -> None:
            if remarks is not None:
                self.action_refer(remarks)

        self.app.push_screen(PromptScreen(t("refer.remarks_title", self.lang, name=self.selected.name), self.lang,
                                          hint=t("refer.remarks_hint", self.lang)), answered)

    @work(thread=True, group="refer")
    def _refer(self, hit: Hit, case_ref: str, needs: tuple[str, ...], area: str | None, remarks: str,
               asked_area: str | None = None) -> None:
        try:
            from tui.config import desk
            from tui.core.referrals.log import refer

            outcome = refer(self.catalogue, hit.id, case_ref=case_ref, needs=list(needs), area=area,
                            remarks=remarks, lang=self.lang, desk=desk(getattr(self.app, "settings", None)), t=t,
                            asked_area=asked_area)
        except Exception as error:  # noqa: BLE001 — the edge: shown to the worker; the finder carries on
            from tui.faults import describe

            self.post_message(ReferralFailed(for_output(hit.name, multiline=False), describe(error, self.lang).text))
            return
        self.post_message(ReferralSaved(outcome, for_output(hit.name, multiline=False), case_ref))

    def on_referral_saved(self, message: ReferralSaved) -> None:
        self.app.copy_to_clipboard(message.outcome.note)
        case = message.case_ref or t("refer.no_case", self.lang)
        self.notify(t("refer.done", self.lang, name=message.resource_name, case=case), markup=False)
        warning = getattr(message.outcome, "warning", "")
        if warning:  # logged, but the case file could not be written: say so, as the CLI does
            self.notify(t("data_safety.note_not_written", self.lang, error=for_output(warning)),
                        severity="error", markup=False, timeout=30)

    def on_referral_failed(self, message: ReferralFailed) -> None:
        self.notify(t("refer.failed", self.lang, name=message.resource_name, error=message.error),
                    severity="error", markup=False)

    # -- other screens (imported when first opened, so start-up stays fast) --------

    def action_referral_log(self) -> None:
        from .referral_log import ReferralLogScreen

        self.app.push_screen(
            ReferralLogScreen(self.catalogue, self.lang, case_ref=host(self).case_ref or None, today=self.today)
        )

    def open_settings(self) -> None:
        from .settings import SettingsScreen

        self.app.push_screen(SettingsScreen(self.lang))
