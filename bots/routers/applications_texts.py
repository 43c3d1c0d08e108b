"""Texts of the bot's application conversations (/apply, /myapplications, /status)."""

from __future__ import annotations

from core.i18n import register

register(
    {
        "bot.cmd.apply": {
            "ja": "申請（転入・出生、住民票の写し、講座申込など）",
            "en": "File an application (moving in, a birth, a residence certificate, a course …)",
        },
        "bot.cmd.myapplications": {
            "ja": "自分の申請と状況",
            "en": "Your applications and their status",
        },
        "bot.cmd.status": {
            "ja": "受付番号と照会キーで状況を確認",
            "en": "Check a status by receipt number and lookup key",
        },
        "bot.apply.expected_button": {
            "ja": "上のボタンから選んでください（/cancel でやめます）。",
            "en": "Choose with the buttons above (/cancel stops).",
        },
        "bot.apply.expected_answer": {
            "ja": "上の質問に答えてください（/cancel でやめます。入力済みの内容は下書きに残ります）。",
            "en": "Answer the question above (/cancel stops; your answers so far stay in the draft).",
        },
        "bot.apply.status_cancelled": {
            "ja": "状況の確認をやめました。",
            "en": "Stopped checking a status.",
        },
        "bot.apply.choose": {
            "ja": "申請する内容を選んでください。\nライフイベント: 必要な手続きをまとめて申請します。\n手続き（★はこのチャットで入力できます）:",
            "en": "What would you like to file?\nLife events file every procedure they need at once.\nProcedures (★ can be filled in here in the chat):",
        },
        "bot.apply.none": {
            "ja": "いま申請できる手続きはありません。",
            "en": "There is nothing to apply for at the moment.",
        },
        "bot.apply.event_question": {
            "ja": "{question}",
            "en": "{question}",
        },
        "bot.apply.yes": {"ja": "はい", "en": "Yes"},
        "bot.apply.no": {"ja": "いいえ", "en": "No"},
        "bot.apply.skip": {"ja": "回答しない", "en": "Skip"},
        "bot.apply.submit": {"ja": "この内容で申請する", "en": "Submit"},
        "bot.apply.cancel_button": {"ja": "やめる", "en": "Cancel"},
        "bot.apply.draft_saved": {
            "ja": "下書きを保存しました（{procedures}）。入力項目が多いため、続きはアプリで入力してください:\n{link}",
            "en": "Your draft is saved ({procedures}). It has many questions: please continue in the app:\n{link}",
        },
        "bot.apply.guidance": {
            "ja": "あわせてご確認ください: {text}",
            "en": "Please also note: {text}",
        },
        "bot.apply.ask": {
            "ja": "{label}{help}",
            "en": "{label}{help}",
        },
        "bot.apply.ask_date": {
            "ja": "{label}（例 2025-04-01）{help}",
            "en": "{label} (e.g. 2025-04-01){help}",
        },
        "bot.apply.not_a_number": {
            "ja": "数字で入力してください。",
            "en": "Please answer with a number.",
        },
        "bot.apply.use_buttons": {
            "ja": "下のボタンから選んでください。",
            "en": "Please choose with the buttons.",
        },
        "bot.apply.confirm": {
            "ja": "「{procedure}」の申請内容:\n{summary}\n\nこの内容で申請しますか？",
            "en": "Your application for “{procedure}”:\n{summary}\n\nSubmit it?",
        },
        "bot.apply.filed": {
            "ja": "申請を受け付けました。\n{cases}\n照会キー: {secret}（状況の確認に使います。大切に保管してください）",
            "en": "Your application has been received.\n{cases}\nLookup key: {secret} (you need it to check the status; keep it safe)",
        },
        "bot.apply.pay": {
            "ja": "手数料 {amount}円 のお支払いはこちら（カード）:\n{url}",
            "en": "Pay the ¥{amount} fee here (card):\n{url}",
        },
        "bot.apply.cancelled": {
            "ja": "申請の入力をやめました。下書きはアプリから続けられます。",
            "en": "Stopped. You can go on with the draft in the app.",
        },
        "bot.apply.mine_none": {
            "ja": "申請はまだありません。/apply で申請できます。",
            "en": "You have no applications yet. /apply files one.",
        },
        "bot.apply.mine_title": {"ja": "あなたの申請:", "en": "Your applications:"},
        "bot.apply.mine_draft": {
            "ja": "下書き: {procedures}（{day}）",
            "en": "Draft: {procedures} ({day})",
        },
        "bot.apply.ask_receipt": {
            "ja": "受付番号を送ってください（例 A7K3M9XQ2）。",
            "en": "Send the receipt number (e.g. A7K3M9XQ2).",
        },
        "bot.apply.ask_secret": {
            "ja": "照会キーを送ってください（例 7KQ2-M9XD-4HPA）。",
            "en": "Send the lookup key (e.g. 7KQ2-M9XD-4HPA).",
        },
        "bot.apply.status": {
            "ja": "{receipt} {procedure}: {status}",
            "en": "{receipt} {procedure}: {status}",
        },
    }
)
