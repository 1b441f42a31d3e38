"""Delivers fulfilment requests to 3PL webhooks for the outbox worker.

A 2xx answer is an accepted request. Connection errors, timeouts, 5xx, 408 and 429 are
retried with the worker's back-off (429's Retry-After honoured); any other 4xx is the 3PL
refusing the request for good (dead, and staff are alerted). The request id rides along
as `Idempotency-Key`, so a repeat after a lost answer is recognisable.
"""

from __future__ import annotations

import aiohttp

from domain.fulfillment.queries import FulfilmentViews
from domain.fulfillment.thirdparty import CHANNEL, SIGNATURE_HEADER, body_bytes, sign
from domain.notifications import DeliveryFailed, Notification

TIMEOUT = aiohttp.ClientTimeout(total=15)
_RETRYABLE = frozenset({408, 425, 429})


class ThirdPartyNotifier:
    channel = CHANNEL

    def __init__(self, views: FulfilmentViews) -> None:
        self.views = views
        self._session: aiohttp.ClientSession | None = None

    async def send(self, notification: Notification) -> str:
        endpoint = await self.views.third_party(notification.recipient)
        if endpoint is None:
            raise DeliveryFailed(f"warehouse {notification.recipient} has no 3PL webhook",
                                 permanent=True)
        body = body_bytes(notification.payload)
        headers = {"Content-Type": "application/json",
                   SIGNATURE_HEADER: sign(endpoint["secret"], body),
                   "Idempotency-Key": f"fulfilment-{notification.payload.get('id')}"}
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=TIMEOUT)
        try:
            async with self._session.post(endpoint["webhook_url"], data=body,
                                          headers=headers) as response:
                text = (await response.text())[:300]
                status = response.status
                retry_after = response.headers.get("Retry-After")
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise DeliveryFailed(f"3PL unreachable: {type(exc).__name__}: {exc}") from exc
        if 200 <= status < 300:
            return f"{notification.recipient}:{notification.payload.get('id')}:{status}"
        wait = float(retry_after) if retry_after and retry_after.isdigit() else None
        raise DeliveryFailed(f"3PL answered {status}: {text}", retry_after=wait,
                             permanent=status < 500 and status not in _RETRYABLE)

    async def aclose(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            await session.close()
