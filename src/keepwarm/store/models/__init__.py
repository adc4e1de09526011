"""SQLAlchemy 2 tables. Every row belongs to an owner (a user account), so one server can host many networks.

The tables are split by the part of keepwarm that owns them; importing this package registers them all on
``Base.metadata``.
"""

from keepwarm.store.models.base import Base
from keepwarm.store.models.capture import (
    CaptureSeen,
    CardLink,
    Correspondent,
    FeedRow,
    MeAddress,
    Mention,
    NewsItem,
    SourceRow,
)
from keepwarm.store.models.library import Resource, ResourceTopic, Share
from keepwarm.store.models.network import (
    ActionRow,
    ChangeRow,
    CircleRow,
    LifeEventRow,
    OccasionDone,
    PersonEmail,
    PersonInterest,
    PersonLink,
    PersonPhone,
    PersonRow,
    PersonTag,
    PlanRow,
    SettingRow,
    TouchPerson,
    TouchRow,
    WeekCount,
)
from keepwarm.store.models.people_extra import NotDuplicate
from keepwarm.store.models.users import ApiToken, LoginAttempt, Upload, User, WebSession

__all__ = [
    "ActionRow", "ApiToken", "Base", "CaptureSeen", "CardLink", "Correspondent", "FeedRow", "MeAddress",
    "Mention", "NewsItem", "SourceRow", "ChangeRow", "CircleRow", "LoginAttempt", "OccasionDone", "Upload",
    "WebSession", "LifeEventRow", "NotDuplicate", "PersonEmail",
    "PersonInterest", "PersonLink", "PersonPhone", "PersonRow", "PersonTag", "PlanRow", "Resource",
    "ResourceTopic", "SettingRow", "Share", "TouchPerson", "TouchRow", "User", "WeekCount",
]
