"""The e-mails of self-service, each in Japanese then English, queued in the notice outbox.

A message is queued inside the transaction that decided to send it (`Unit.enqueue_mail`), so an
account is never created without its verification mail or the other way round. Links carry a
one-time token (never used as the outbox key); the message never carries a password or a
client secret.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from registry.models import AccessRequestView, AccessState
from registry.urls import account_url


class Outbox(Protocol):
    def enqueue_mail(self, *, to: str, subject: str, body: str, kind: str, key: str) -> str: ...


SIGNATURE = "-- \nTsunagu 開発者ポータル / Tsunagu Developer Portal"


def verification(
    outbox: Outbox, to: str, public_url: str, token: str, *, hours: int, key: str
) -> None:
    link = account_url(public_url, f"verify?token={token}")
    body = (
        f"Tsunagu 開発者ポータルへの登録を完了するには、{hours} 時間以内に次のリンクを開いて"
        f"確認ボタンを押してください。\n{link}\n\n"
        f"To finish signing up to the Tsunagu Developer Portal, open this link within {hours} "
        f"hours and press the confirm button:\n{link}\n\n"
        "心当たりがない場合はこのメールを破棄してください。\n"
        "If you did not sign up, ignore this message.\n" + SIGNATURE
    )
    subject = "メールアドレスの確認 / Verify your e-mail address"
    outbox.enqueue_mail(to=to, subject=subject, body=body, kind="account.verify", key=key)


def already_registered(outbox: Outbox, to: str, public_url: str, key: str) -> None:
    """Sign-up with a known address: the owner is told, the visitor learns nothing."""
    login, reset = account_url(public_url, "login"), account_url(public_url, "reset")
    body = (
        "このメールアドレスで登録の申し込みがありましたが、すでにアカウントがあります。\n"
        f"ログイン：{login}\nパスワードを忘れた場合：{reset}\n\n"
        "Someone asked to sign up with this address, which already has an account.\n"
        f"Log in: {login}\nForgot the password: {reset}\n\n"
        "心当たりがない場合は何もする必要はありません。\n"
        "If this was not you, there is nothing to do.\n" + SIGNATURE
    )
    subject = "登録済みのアドレスです / This address already has an account"
    outbox.enqueue_mail(to=to, subject=subject, body=body, kind="account.exists", key=key)


def password_reset(
    outbox: Outbox, to: str, public_url: str, token: str, *, minutes: int, key: str
) -> None:
    link = account_url(public_url, f"reset/confirm?token={token}")
    body = (
        f"パスワードを再設定するには、{minutes} 分以内に次のリンクを開いてください。\n{link}\n\n"
        f"To choose a new password, open this link within {minutes} minutes:\n{link}\n\n"
        "心当たりがない場合はこのメールを破棄してください（パスワードは変わりません）。\n"
        "If you did not ask for this, ignore it: your password stays as it is.\n" + SIGNATURE
    )
    subject = "パスワードの再設定 / Reset your password"
    outbox.enqueue_mail(to=to, subject=subject, body=body, kind="account.reset", key=key)


def access_decision(outbox: Outbox, to: str, public_url: str, request: AccessRequestView) -> None:
    approved = request.state is AccessState.APPROVED
    link = account_url(public_url, f"apps/{request.client_id}")
    verdict_ja = "承認されました" if approved else "却下されました"
    verdict_en = "approved" if approved else "denied"
    reason = f"\n理由 / Reason: {request.reason}\n" if request.reason else "\n"
    next_ja = (
        "新しいアクセストークンから本番 API を呼び出せます。"
        if approved
        else "内容を見直して、もう一度申請できます。"
    )
    next_en = (
        "New access tokens of the app can call the production API."
        if approved
        else "You may revise the use and request again."
    )
    body = (
        f"アプリ「{request.app}」（{request.client_id}）の API {request.slug} の本番利用申請は"
        f"{verdict_ja}。{next_ja}\n{reason}\n"
        f"The production access request of app “{request.app}” ({request.client_id}) for the "
        f"API {request.slug} has been {verdict_en}. {next_en}\n\n{link}\n" + SIGNATURE
    )
    subject = f"本番利用申請の結果：{request.slug} / Production access {verdict_en}"
    key = f"access-request-{request.id}"
    outbox.enqueue_mail(to=to, subject=subject, body=body, kind="access.decision", key=key)


def hourly_key(purpose: str, developer_id: str, now: datetime) -> str:
    """The outbox key of an account mail: one per account, purpose and hour, so that asking
    again and again cannot flood a mailbox (the first link of the hour stays valid)."""
    return f"account-{purpose}-{developer_id}-{now.astimezone(UTC):%Y%m%d%H}"
