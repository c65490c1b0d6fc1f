"""SQLAlchemy 2 typed models of the whole service, one module per concern."""

from matchmaker.clock import utcnow  # re-exported: models and tests read the clock through here too
from matchmaker.models.base import Base
from matchmaker.models.collectivite import Collectivite
from matchmaker.models.embedding import ResponseEmbedding
from matchmaker.models.followup import CallSlot, FirstCall, ProfileReminder, SurveyAnswer
from matchmaker.models.jobs import JobRun, Setting
from matchmaker.models.mail import DigestRecipient, OutboxAttachment, OutboxMessage, Subscription
from matchmaker.models.outreach import Campaign, Invitation, KnownPartnership, SeminarPanel
from matchmaker.models.response import AccessToken, Response, ResponseVersion, ThemeInterest
from matchmaker.models.review import Introduction, Outcome, PairNote, ReviewDecision
from matchmaker.models.staff import StaffUser
from matchmaker.models.suggestion import SUGGESTION_STATES, MatchRun, Suggestion

__all__ = [
    "AccessToken",
    "Base",
    "Campaign",
    "Invitation",
    "KnownPartnership",
    "SeminarPanel",
    "Collectivite",
    "DigestRecipient",
    "Introduction",
    "JobRun",
    "MatchRun",
    "OutboxMessage",
    "Outcome",
    "PairNote",
    "Response",
    "ResponseVersion",
    "ResponseEmbedding",
    "ReviewDecision",
    "SUGGESTION_STATES",
    "Setting",
    "StaffUser",
    "Subscription",
    "Suggestion",
    "CallSlot",
    "FirstCall",
    "OutboxAttachment",
    "ProfileReminder",
    "SurveyAnswer",
    "ThemeInterest",
    "utcnow",
]
