"""Local stand-ins for the Telegram Bot API and the Slack Web API, for end-to-end tests."""

from tests.doubles.slack_api import FakeSlackAPI
from tests.doubles.telegram_api import FakeTelegramAPI

__all__ = ["FakeSlackAPI", "FakeTelegramAPI"]
