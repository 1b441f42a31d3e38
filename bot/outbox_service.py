"""Wiring of the delivery worker: which notifiers exist, and the worker as a Service.

Channels add their notifier by appending a factory to NOTIFIER_FACTORIES (it returns None
when its channel is not configured); a notifier that is absent leaves that channel's
notifications pending. The Telegram channel offers deep links for e-mail by appending to
TELEGRAM_LINK_FACTORIES.
"""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from bot.core import Core
from bot.delivery import OutboxWorker
from bot.health_notifier import reporting
from bot.lifecycle import Health
from bot.mail_reading import MailReadingFactory
from bot.services import Service
from bot.web_pages import LIFECYCLE
from channels.email.notifier import TelegramLinkProvider, build_email_notifier
from domain.notifications import Notifier

NotifierFactory = Callable[[Core], Notifier | None]
TelegramLinkFactory = Callable[[Core], TelegramLinkProvider | None]


def _telegram_links(core: Core) -> TelegramLinkProvider | None:
    if not core.settings.telegram_token:
        return None
    from bot.telegram import telegram_link_factory  # lazy for start-up cost: aiogram

    return telegram_link_factory(core)


TELEGRAM_LINK_FACTORIES: list[TelegramLinkFactory] = [_telegram_links]


def email_notifier(core: Core) -> Notifier:
    """Always configured: SMTP with OMSBOT_SMTP_URL, else `.eml` files in var/outbox/.
    Its composing process reads what each mail needs through connections of its own."""
    links = (factory(core) for factory in TELEGRAM_LINK_FACTORIES)
    return build_email_notifier(core.settings, core.views,
                                reading=MailReadingFactory.of(core.settings),
                                telegram_link=next((f for f in links if f), None))


def slack_notifier(core: Core) -> Notifier | None:
    """Staff alerts go to OMSBOT_SLACK_ALERTS_CHANNEL; without Slack they wait, pending."""
    if not core.settings.slack_bot_token:
        return None
    from bot.slack import build_slack_notifier  # lazy for start-up cost: slack_bolt

    return build_slack_notifier(core.settings, core.views)


def telegram_notifier(core: Core) -> Notifier | None:
    """Pushes to linked chats; without OMSBOT_TELEGRAM_TOKEN they wait, pending."""
    if not core.settings.telegram_token:
        return None
    from bot.telegram import telegram_notifier as build  # lazy for start-up cost: aiogram

    return build(core)


def third_party_notifier(core: Core) -> Notifier:
    """Fulfilment requests to 3PL warehouses (always on: only 3PL warehouses get rows)."""
    from channels.thirdparty.notifier import ThirdPartyNotifier
    from storage.fulfilment_views import SqlFulfilmentViews

    return ThirdPartyNotifier(SqlFulfilmentViews(core.db))


NOTIFIER_FACTORIES: list[NotifierFactory] = [email_notifier, slack_notifier, telegram_notifier,
                                             third_party_notifier]


def build_notifiers(core: Core) -> dict[str, Notifier]:
    notifiers: dict[str, Notifier] = {}
    for factory in NOTIFIER_FACTORIES:
        notifier = factory(core)
        if notifier is not None:
            notifiers[notifier.channel] = notifier
    return notifiers


def build_worker(core: Core, health: Health | None = None) -> OutboxWorker:
    """The worker over every configured notifier; with `health`, each reports its channel."""
    notifiers = build_notifiers(core)
    worker = OutboxWorker(core.db, reporting(notifiers, health) if health else notifiers,
                          core.clock, lease=core.settings.delivery_lease)
    core.bus.after_commit.append(worker.wake)
    return worker


def outbox_services(core: Core, app: web.Application) -> list[Service]:
    if not core.settings.delivery_enabled:
        return []
    worker = build_worker(core, app[LIFECYCLE].health)
    return [Service("outbox worker", worker.start, worker.stop,
                    when_ready=worker.start_notifiers)]
