"""Request and response bodies of `/developer/v1`. Bodies forbid unknown fields; responses
never carry a hash, and a client secret only in the one answer that created it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from registry.models import AppView


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SignUpIn(Body):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)
    accept_terms: bool = Field(description="acceptance of the terms of use (version recorded)")


class LogInIn(Body):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)


class TokenIn(Body):
    token: str = Field(min_length=1, max_length=256, description="the token of the e-mailed link")


class ResetIn(Body):
    email: str = Field(max_length=320)


class NewPasswordIn(Body):
    token: str = Field(min_length=1, max_length=256)
    password: str = Field(max_length=1024)


class AppCreateIn(Body):
    name: str = Field(min_length=1, max_length=100)
    sandbox: bool = True


class AccessIn(Body):
    api: str = Field(min_length=1, max_length=64, description="the API's slug")
    use: str = Field(max_length=2000, description="what the app will do with the API")


class Accepted(BaseModel):
    status: str = "accepted"
    message_ja: str
    message_en: str


class CsrfOut(BaseModel):
    csrf_token: str


class AppOut(BaseModel):
    client_id: str
    name: str
    scopes: tuple[str, ...]
    sandbox: bool
    disabled: bool
    created_at: datetime
    previous_secret_until: datetime | None = None

    @classmethod
    def of(cls, app: AppView) -> AppOut:
        return cls(
            client_id=app.client_id,
            name=app.name,
            scopes=app.scopes,
            sandbox=app.sandbox,
            disabled=app.disabled,
            created_at=app.created_at,
            previous_secret_until=app.previous_secret_until,
        )


class WebhookIn(Body):
    url: str = Field(
        min_length=1, max_length=2048, description="https (or an allowed internal host)"
    )


class WebhookOut(BaseModel):
    client_id: str
    url: str | None = Field(description="the webhook's URL, or null when the app has none")


class WebhookCreatedOut(BaseModel):
    client_id: str
    url: str
    secret: str = Field(description="the `whsec_…` signing secret; shown only in this response")


class SubscriptionOut(BaseModel):
    client_id: str
    slug: str
    created_at: datetime


class SubscribedOut(BaseModel):
    client_id: str
    slug: str
    subscribed: bool
    new: bool = Field(description="false when the app was already subscribed")
