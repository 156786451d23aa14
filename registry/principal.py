"""Who is acting: an operator, a provider bound to one provider id, or a developer."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Role(StrEnum):
    OPERATOR = "operator"
    PROVIDER = "provider"
    DEVELOPER = "developer"


class Principal(BaseModel):
    model_config = ConfigDict(frozen=True)

    role: Role
    subject: str  # who, for the change log (client id, e-mail, or "cli:<user>")
    provider_id: str | None = None

    def may_act_for(self, provider_id: str) -> bool:
        if self.role is Role.OPERATOR:
            return True
        return self.role is Role.PROVIDER and self.provider_id == provider_id


def cli_operator() -> Principal:
    """The CLI runs with the operator's authority of whoever holds the database."""
    import getpass

    return Principal(role=Role.OPERATOR, subject=f"cli:{getpass.getuser()}")
