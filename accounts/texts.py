from __future__ import annotations

from core.i18n import register

register(
    {
        "accounts.bad_login": {
            "ja": "メールアドレスまたはパスワードが正しくありません。",
            "en": "The e-mail address or password is not correct.",
        },
        "accounts.email_taken": {
            "ja": "このメールアドレスは既に登録されています。",
            "en": "This e-mail address is already registered.",
        },
        "accounts.bad_email": {
            "ja": "メールアドレスの形式が正しくありません。",
            "en": "Please enter a valid e-mail address.",
        },
        "accounts.weak_password": {
            "ja": "パスワードは{min}文字以上{max}文字以下にしてください。",
            "en": "The password must be {min} to {max} characters long.",
        },
        "accounts.bad_name": {
            "ja": "表示名は1文字以上{max}文字以下にしてください。",
            "en": "The display name must be 1 to {max} characters long.",
        },
        "accounts.bad_language": {
            "ja": "言語は ja または en を指定してください。",
            "en": "The language must be ja or en.",
        },
        "accounts.bad_refresh": {
            "ja": "ログインの有効期限が切れました。もう一度ログインしてください。",
            "en": "Your session has expired. Please log in again.",
        },
        "accounts.too_many_failures": {
            "ja": "ログインの失敗が続いたため、{seconds}秒後に再度お試しください。",
            "en": "Too many failed log-ins. Please try again in {seconds} seconds.",
        },
        "accounts.bad_link_code": {
            "ja": "連携コードが正しくないか、有効期限が切れています。",
            "en": "The link code is wrong or has expired.",
        },
        "accounts.link_from_telegram": {
            "ja": "連携コードは Telegram のボットに「/link コード」と送ってください。",
            "en": "Send the link code to the Telegram bot as “/link CODE”.",
        },
        "accounts.already_linked": {
            "ja": "このアカウントは既に別のTelegramアカウントと連携しています。",
            "en": "This account is already linked to another Telegram account.",
        },
    }
)
