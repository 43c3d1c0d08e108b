from __future__ import annotations

from core.i18n import register

register(
    {
        "notifications.linked": {
            "ja": "Telegram とアプリのアカウントを連携しました。",
            "en": "Your Telegram and app accounts are now linked.",
        },
        "notifications.title.default": {
            "ja": "窓口からのお知らせ",
            "en": "A message from the city",
        },
        "notifications.title.booking": {"ja": "施設予約", "en": "Facility booking"},
        "notifications.title.lottery": {"ja": "施設予約の抽選", "en": "Facility lottery"},
        "notifications.title.report": {"ja": "通報の状況", "en": "Your report"},
        "notifications.title.alert": {"ja": "緊急のお知らせ", "en": "Emergency alert"},
        "notifications.exercise_mark": {"ja": "【訓練・テスト】", "en": "[EXERCISE / TEST]"},
        "notifications.drill_mark": {"ja": "【訓練】", "en": "[EXERCISE]"},
        "notifications.test_mark": {"ja": "【テスト】", "en": "[TEST]"},
        "notifications.unreadable": {
            "ja": "お知らせを表示できません。",
            "en": "This message cannot be shown.",
        },
        "notifications.bad_channels": {
            "ja": "通知方法は TELEGRAM、PUSH、EMAIL から選んでください。",
            "en": "Choose notification channels among TELEGRAM, PUSH and EMAIL.",
        },
        "notifications.bad_quiet_hours": {
            "ja": "おやすみ時間の開始と終了は異なる時刻にしてください。",
            "en": "Quiet hours must start and end at different times.",
        },
        "notifications.bad_token": {
            "ja": "プッシュ通知のトークンが正しくありません。",
            "en": "The push token is not valid.",
        },
        "notifications.too_many_devices": {
            "ja": "登録できる端末は {limit} 台までです。",
            "en": "At most {limit} devices can be registered.",
        },
        "notifications.email_unavailable": {
            "ja": "メールでの通知は現在利用できません。",
            "en": "E-mail notifications are not available.",
        },
        "notifications.email_too_soon": {
            "ja": "確認メールは {seconds} 秒後に再送できます。",
            "en": "You can ask for another confirmation e-mail in {seconds} seconds.",
        },
        "notifications.email_not_sent": {
            "ja": "確認メールを送信できませんでした。時間をおいて再度お試しください。",
            "en": "The confirmation e-mail could not be sent. Please try again later.",
        },
        "notifications.email_confirm.subject": {
            "ja": "【窓口】メールアドレスの確認",
            "en": "[Madoguchi] Confirm your e-mail address",
        },
        "notifications.email_confirm.body": {
            "ja": "窓口からのお知らせをこのアドレスで受け取るには、24時間以内に次のリンクを開いてください。\n\n{link}\n\nお心当たりのない場合は、このメールを破棄してください。",
            "en": "To get the city's messages at this address, open this link within 24 hours:\n\n{link}\n\nIf you did not ask for this, please ignore this e-mail.",
        },
        "notifications.email_confirmed": {
            "ja": "メールアドレスを確認しました。お知らせをメールでもお届けします。",
            "en": "Your e-mail address is confirmed. You will get messages by e-mail too.",
        },
        "notifications.email_link_invalid": {
            "ja": "このリンクは無効か、有効期限が切れています。アプリからもう一度お試しください。",
            "en": "This link is not valid or has expired. Please try again from the app.",
        },
        "notifications.email_footer_staff": {
            "ja": "市職員の皆さまへの配信です。訓練・テストの警報は全職員に届きます。",
            "en": "Sent to city staff: exercise and test alerts reach every staff member.",
        },
        "notifications.email_footer": {
            "ja": "通知の設定はアプリの「お知らせの設定」から変更できます。",
            "en": "You can change how you get messages in the app's notification settings.",
        },
    }
)
