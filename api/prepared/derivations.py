"""A process-wide tally of what is derived from GraphQL documents.

Each count grows where the work is done — parsing, validation, preparing an operation,
collecting a selection set, compiling a field plan, typing the variables — so a test can show that a repeated
operation derives nothing, whichever path ran it. Plan look-ups are counted too: they
are the work a repeated operation is left with.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass
class Derivations:
    parsed: int = 0
    validated: int = 0
    operations_prepared: int = 0
    selections_collected: int = 0  # root and sub-selections: fragments merged, @skip applied
    plans_compiled: int = 0  # field plans: resolver, literal arguments, completion
    variables_typed: int = 0  # an operation's variable types, read from its document
    plan_lookups: int = 0

    def snapshot(self) -> Derivations:
        return replace(self)

    def since(self, earlier: Derivations) -> Derivations:
        return Derivations(
            **{f.name: getattr(self, f.name) - getattr(earlier, f.name) for f in fields(self)}
        )

    def derived(self) -> int:
        """Everything but look-ups."""
        return (
            self.parsed
            + self.validated
            + self.operations_prepared
            + self.selections_collected
            + self.plans_compiled
            + self.variables_typed
        )


DERIVATIONS = Derivations()
