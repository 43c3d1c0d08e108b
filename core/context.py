"""What every resolver knows about the request: who calls, in which language."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.i18n import Language

if TYPE_CHECKING:
    from accounts.models import Resident, StaffMember
    from core.settings import Settings


@dataclass
class Context:
    settings: Settings
    resident: Resident | None = None
    staff: StaffMember | None = None
    language: Language = "ja"
    client_key: str = "local"
    request: Any = None
    response: Any = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    # Per-request dataloaders, created on first use: `context.loader(SomeLoader)`.
    loaders: dict[type, Any] = field(default_factory=dict)
    # Set by the websocket handshake (`connection_init` payload).
    connection_params: dict[str, Any] | None = None

    def loader(self, factory: type) -> Any:
        if factory not in self.loaders:
            self.loaders[factory] = factory()
        return self.loaders[factory]
