"""The applications app's models, gathered from its sub-packages for Tortoise."""

from applications.attachments.models import Attachment
from applications.cases.models import Application, Case, CaseEvent
from applications.catalogue.models import LifeEvent, Procedure, ProcedureVersion
from applications.visits.models import Counter

__all__ = [
    "Application",
    "Attachment",
    "Case",
    "CaseEvent",
    "Counter",
    "LifeEvent",
    "Procedure",
    "ProcedureVersion",
]
