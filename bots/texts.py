"""What the bot itself says: greetings, help, the menu, and its answers to the unexpected."""

from __future__ import annotations

from core.i18n import register

register(
    {
        "bot.start": {
            "ja": "{name}さん、こんにちは。二本松市の窓口ボットです。",
            "en": "Hello {name}. This is the city's service counter bot.",
        },
        "bot.help.commands": {"ja": "使えるコマンド:", "en": "Commands:"},
        "bot.help.buttons": {
            "ja": "下のボタンからも使えます:",
            "en": "Or tap a button below:",
        },
        "bot.cmd.start": {"ja": "はじめに", "en": "Welcome"},
        "bot.cmd.help": {"ja": "できることの一覧", "en": "What the bot can do"},
        "bot.cmd.cancel": {
            "ja": "いまの操作をやめる",
            "en": "Stop what you are doing",
        },
        "bot.cmd.language": {
            "ja": "言語の切り替え（日本語 / English）",
            "en": "Switch language (日本語 / English)",
        },
        "bot.cmd.link": {
            "ja": "アプリのアカウントと連携（/link コード）",
            "en": "Link your app account (/link CODE)",
        },
        "bot.cancel_button": {"ja": "やめる", "en": "Cancel"},
        "bot.nothing_to_cancel": {
            "ja": "いま進めている操作はありません。",
            "en": "There is nothing to cancel.",
        },
        "bot.menu": {
            "ja": "ご用件を下のボタンから選んでください。/help でできることの一覧を表示します。",
            "en": "Choose what you need with the buttons below. /help lists everything the bot can do.",
        },
        "bot.unknown_command": {
            "ja": "「/{command}」というコマンドはありません。/help で使えるコマンドを表示します。",
            "en": "There is no command “/{command}”. /help lists the commands.",
        },
        "bot.photo_outside_flow": {
            "ja": "写真で不具合を通報するには、/report を押してから写真を送ってください。",
            "en": "To report a problem with a photo, use /report and then send the photo.",
        },
        "bot.expired": {
            "ja": "この選択肢は期限切れです。",
            "en": "This choice has expired.",
        },
        "bot.expired_message": {
            "ja": "このボタンはもう使えません（操作が終わったか、古いメッセージです）。",
            "en": "That button no longer works (the step is over, or the message is old).",
        },
        "bot.expired_way_back": {
            "ja": "下のボタンか /help から、もう一度どうぞ。",
            "en": "Start again with the buttons below or /help.",
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
