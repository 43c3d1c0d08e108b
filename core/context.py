"""What every resolver knows about the request: who calls, in which language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from core.i18n import Language

if TYPE_CHECKING:
    from core.settings import Settings


class Caller(Protocol):
    """A signed-in resident or staff member (accounts' models); core knows only this much."""

    id: int
    language: str


@dataclass
class Context:
    settings: Settings
    resident: Any = None  # accounts.models.Resident, as a Caller
    staff: Any = None  # accounts.models.StaffMember, as a Caller
    language: Language = "ja"
    client_key: str = "local"
    # The client's network address (behind TRUSTED_PROXIES, the one they forwarded).
    address: str = "local"
    request: Any = None
    response: Any = None
    request_id: str = ""  # given when an error first needs one (api.errors): most never do
    # Per-request dataloaders, created on first use: `context.loader(SomeLoader)`.
    loaders: dict[type, Any] = field(default_factory=dict)
    # Set by the websocket handshake (`connection_init` payload).
    connection_params: dict[str, Any] | None = None

    def absolute_url(self, path: str) -> str:
        from core.urls import absolute

        return absolute(self.settings, path, self.request)

    def loader(self, factory: type) -> Any:
        if factory not in self.loaders:
            self.loaders[factory] = factory()
        return self.loaders[factory]
