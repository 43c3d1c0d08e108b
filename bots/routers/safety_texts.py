"""What the bot says in disaster mode and for the safety check (安否確認)."""

from __future__ import annotations

from core.i18n import register

register(
    {
        "bot.cmd.anpi": {"ja": "安否を知らせる（安否確認）", "en": "Say whether you are safe"},
        "bot.disaster.lead": {"ja": "⚠️【災害モード】", "en": "⚠️ DISASTER MODE"},
        "bot.disaster.open_shelters": {
            "ja": "近くの開設中の避難所（{hazard}）",
            "en": "Nearest open shelters ({hazard})",
        },
        "bot.disaster.open_shelters_any": {
            "ja": "近くの開設中の避難所",
            "en": "Nearest open shelters",
        },
        "bot.disaster.no_open_shelter": {
            "ja": "近くに開設中の避難所はまだありません。市の避難情報に従ってください。",
            "en": "No shelter nearby is open yet. Follow the city's evacuation information.",
        },
        "bot.disaster.shelter": {
            "ja": "{number}. {name}（{distance}・{status}）",
            "en": "{number}. {name} ({distance}, {status})",
        },
        "bot.disaster.status.OPEN": {"ja": "開設中", "en": "open"},
        "bot.disaster.status.NOT_OPENED": {"ja": "未開設", "en": "not opened"},
        "bot.disaster.status.FULL": {"ja": "満員", "en": "full"},
        "bot.disaster.status.CLOSED": {"ja": "閉鎖", "en": "closed"},
        "bot.disaster.share_location": {
            "ja": "📍 現在地を送ると、近くの開設中の避難所をお知らせします。",
            "en": "📍 Share your location to see the nearest open shelters.",
        },
        "bot.disaster.other_hazards": {
            "ja": "ほかの災害の避難先は、下のボタンから選べます。",
            "en": "For another hazard, choose below.",
        },
        "bot.safety.ask": {
            "ja": "🙏 安否確認: ご無事ですか？下のボタンでお知らせください。",
            "en": "🙏 Safety check: are you safe? Tell us with the buttons below.",
        },
        "bot.safety.answered": {
            "ja": "（回答済み: {status}。変わったら押し直してください）",
            "en": "(You answered: {status}. Press again if it changes.)",
        },
        "bot.safety.none": {
            "ja": "いま安否確認は行われていません。",
            "en": "There is no safety check at the moment.",
        },
        "bot.safety.button.SAFE": {"ja": "✅ 無事", "en": "✅ I'm safe"},
        "bot.safety.button.AT_SHELTER": {"ja": "🏠 避難所にいる", "en": "🏠 At a shelter"},
        "bot.safety.button.NEED_HELP": {"ja": "🆘 助けが必要", "en": "🆘 I need help"},
        "bot.safety.recorded_safe": {
            "ja": "「無事」と記録しました。ありがとうございます。",
            "en": "Recorded: you are safe. Thank you.",
        },
        "bot.safety.recorded_shelter": {
            "ja": "「{shelter}にいる」と記録しました。",
            "en": "Recorded: you are at {shelter}.",
        },
        "bot.safety.choose_shelter": {
            "ja": "いまいる避難所を選んでください。",
            "en": "Which shelter are you at?",
        },
        "bot.safety.no_open_shelter": {
            "ja": "開設中の避難所が見つかりません。「無事」か「助けが必要」でお知らせください。",
            "en": "No open shelter was found. Answer 'safe' or 'I need help' instead.",
        },
        "bot.safety.ask_place": {
            "ja": "🆘 下のボタンで現在地を送るか、いる場所と状況を文字で送ってください（例: 本町2丁目、1階が浸水）。",
            "en": "🆘 Share your location with the button below, or write where you are and what is wrong.",
        },
        "bot.safety.ask_note": {
            "ja": "助けが必要と位置を記録しました。状況をひとこと送ってください（例: 足をけがして動けない）。",
            "en": "Recorded that you need help, with your location. Send a few words on what is wrong.",
        },
        "bot.safety.recorded_help": {
            "ja": "助けが必要と記録しました。市の担当者に伝わります。命に危険があるときは 119番・110番 に通報してください。",
            "en": "Recorded that you need help; the city's responders see it. If your life is in danger, call 119 or 110.",
        },
        "bot.safety.help_cancelled": {
            "ja": "中断しました（送った内容は記録されています）。",
            "en": "Stopped (what you sent is recorded).",
        },
    }
)
