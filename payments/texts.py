from __future__ import annotations

from core.i18n import register

register(
    {
        "payments.unavailable": {
            "ja": "現在オンライン決済を利用できません。しばらくしてから再度お試しください。",
            "en": "Online payment is not available right now. Please try again in a little while.",
        },
        "payments.not_configured": {
            "ja": "この自治体ではオンライン決済が設定されていません。窓口でお支払いください。",
            "en": "Online payment is not set up for this city. Please pay at the counter.",
        },
        "payments.done_title": {
            "ja": "お支払い手続きを受け付けました",
            "en": "Payment received",
        },
        "payments.done_body": {
            "ja": "決済の確認ができしだい、予約確定のお知らせをお送りします。この画面は閉じてかまいません。",
            "en": "As soon as the payment is confirmed you will get a message confirming your booking. You can close this page.",
        },
        "payments.cancelled_title": {
            "ja": "お支払いは完了していません",
            "en": "Payment not completed",
        },
        "payments.cancelled_body": {
            "ja": "お支払いは行われていません。仮押さえの期限内であれば、アプリまたはボットからもう一度お支払いいただけます。",
            "en": "No payment was made. While your hold lasts you can pay again from the app or the bot.",
        },
    }
)
