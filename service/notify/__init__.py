"""Notifications: the outbox written with each lifecycle step (``outbox``), the channels
(``channels``) and the worker that sends (``worker``). Lifecycle code calls the
functions re-exported here."""

from service.notify.outbox import (
    ChannelConfig,
    configure,
    entry_returned,
    match_event,
    message_posted,
    proposals,
)

__all__ = [
    "ChannelConfig",
    "configure",
    "entry_returned",
    "match_event",
    "message_posted",
    "proposals",
]
