from __future__ import annotations

from core.i18n import register

register(
    {
        "bot.start": {
            "ja": "{name}さん、こんにちは。二本松市の窓口ボットです。\n申請・施設予約・避難所やAEDの検索・道路の不具合の通報が、ここからできます。\n/help で使い方を表示します。",
            "en": "Hello {name}. This is the city's service counter bot.\nYou can file applications, book facilities, find shelters and AEDs, and report street problems here.\n/help shows how.",
        },
        "bot.help": {
            "ja": "使えるコマンド:\n/start はじめに\n/help この説明\n/apply 申請（転入・出生、住民票の写し、講座申込など）\n/myapplications 自分の申請と状況\n/status 受付番号と照会キーで状況を確認\n/report 道路などの不具合を通報\n/myreports 自分の通報と対応状況\n/language 言語の切り替え（日本語 / English）\n/link コード — アプリのアカウントと連携",
            "en": "Commands:\n/start welcome\n/help this help\n/apply file an application (moving in, a birth, a residence certificate, a course …)\n/myapplications your applications and their status\n/status check a status by receipt number and lookup key\n/report report a problem in the street\n/myreports your reports and their status\n/language switch language (日本語 / English)\n/link CODE — link your app account",
        },
        "bot.choose_language": {
            "ja": "言語を選んでください。",
            "en": "Please choose your language.",
        },
        "bot.language_set": {
            "ja": "日本語に設定しました。",
            "en": "Language set to English.",
        },
        "bot.link_usage": {
            "ja": "アプリに表示された連携コードを「/link コード」の形で送ってください。",
            "en": "Send the code shown in the app as “/link CODE”.",
        },
        "bot.linked": {
            "ja": "アプリのアカウント（{name}）と連携しました。",
            "en": "Linked to your app account ({name}).",
        },
        "bot.error": {
            "ja": "申し訳ありません。問題が発生しました。しばらくしてから再度お試しください。",
            "en": "Sorry, something went wrong. Please try again later.",
        },
    }
)
