"""Request bodies of the admin API; responses are the registry's read models.

Every body forbids unknown fields, so a caller cannot slip in `state`, `provider_id` of a
version, timestamps or ids it may not set (mass assignment, OWASP API3).
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProviderIn(Body):
    id: str = Field(min_length=1, max_length=64)
    name_ja: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    contact: str = Field(min_length=3, description="e-mail address")
    notice_days: int | None = Field(default=None, ge=0, le=3650)


class RegisterIn(Body):
    document: str = Field(description="the OpenAPI document as YAML or JSON text")
    upstream_url: str
    provider_id: str
    slug: str | None = None


class DeprecateIn(Body):
    sunset: date = Field(description="00:00 Japan time (+09:00) on this date")
    successor: str | None = None
    note: str | None = None


class BrownoutIn(Body):
    start: str = Field(
        pattern=r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$",
        description='"YYYY-MM-DD HH:MM" in Japan time (+09:00), at least 7 days ahead',
    )
    minutes: int = Field(ge=1, le=1440, description="length of the window")


class WaiveIn(Body):
    rule: str = Field(min_length=1, description="rule id, e.g. ATG-DOC-05")
    reason: str = Field(min_length=1)


class AppIn(Body):
    name: str = Field(min_length=1)
    owner: str = Field(min_length=3, description="owner e-mail")
    scopes: list[str] = Field(default_factory=list, description="API slugs")
    sandbox: bool = False


class ApiKeyIn(Body):
    apis: list[str] = Field(min_length=1, description="open-data API slugs")


class ApiKeyOut(BaseModel):
    api_key: str
    client_id: str
    apis: list[str]
