"""What the disaster domain adds to others' work, installed by whatever process does that work
(the app; the commands that import alerts): an alert of disaster mode asks for safety on
Telegram (disaster.safety.asks), and the supporters of people who need help are told before an
alert goes out (disaster.support.alerting). Both register themselves when imported."""

from __future__ import annotations


def install() -> None:
    import disaster.safety.asks
    import disaster.support.alerting  # noqa: F401
