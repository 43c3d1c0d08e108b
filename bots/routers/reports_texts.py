"""What the bot says while a resident reports a problem."""

from __future__ import annotations

from core.i18n import register

register(
    {
        "bot.reports.button": {"ja": "📷 道路などの不具合を通報", "en": "📷 Report a problem"},
        "bot.reports.ask_photo": {
            "ja": "問題の場所の写真を送ってください（4枚まで）。写真がなければ「写真なしで続ける」を押してください。",
            "en": "Send a photo of the problem (up to 4). No photo? Press “Continue without a photo”.",
        },
        "bot.reports.skip_photo": {"ja": "写真なしで続ける", "en": "Continue without a photo"},
        "bot.reports.photo_received": {
            "ja": "写真を受け取りました（{count}/4）。",
            "en": "Photo received ({count}/4).",
        },
        "bot.reports.too_many_photos": {"ja": "写真は4枚までです。", "en": "At most 4 photos."},
        "bot.reports.ask_location": {
            "ja": "場所を送ってください。下の「📍 現在地を送る」を押すか、添付メニューの「位置情報」で地図から選べます。",
            "en": "Send the location: press “📍 Send my location” below, or pick it on the map from the attachment menu.",
        },
        "bot.reports.location_button": {"ja": "📍 現在地を送る", "en": "📍 Send my location"},
        "bot.reports.cancel_button": {"ja": "やめる", "en": "Cancel"},
        "bot.reports.outside_area": {
            "ja": "その場所は市の受付区域の外です。市内の場所を送ってください。",
            "en": "That place is outside the city's service area. Please send a place in the city.",
        },
        "bot.reports.location_received": {
            "ja": "場所を受け取りました。",
            "en": "Location received.",
        },
        "bot.reports.ask_category": {
            "ja": "どのような問題ですか？",
            "en": "What kind of problem is it?",
        },
        "bot.reports.duplicates": {
            "ja": "近くに同じ種類の通報がすでにあります。同じものなら、その通報をフォローすると状況をお知らせします。",
            "en": "There is already a report of this kind nearby. If it is the same, follow it and we will keep you posted.",
        },
        "bot.reports.follow_button": {
            "ja": "同じ: {receipt}（{distance} m）をフォロー",
            "en": "Same: follow {receipt} ({distance} m)",
        },
        "bot.reports.new_button": {
            "ja": "違う問題として通報する",
            "en": "It is a different problem",
        },
        "bot.reports.followed": {
            "ja": "通報 {receipt}（{status}）をフォローしました。状況が変わったらお知らせします。",
            "en": "You now follow report {receipt} ({status}). We will tell you when it changes.",
        },
        "bot.reports.ask_description": {
            "ja": "状況を文章で教えてください（4,000文字まで）。",
            "en": "Describe the problem in a few words (up to 4,000 characters).",
        },
        "bot.reports.description_too_long": {
            "ja": "説明は4,000文字以内にしてください（今 {length} 文字です）。",
            "en": "Please keep it to 4,000 characters (it has {length}).",
        },
        "bot.reports.confirm": {
            "ja": "この内容で通報しますか？\n種類: {category}\n場所: {lat}, {lng}\n写真: {photos}枚\n説明: {description}",
            "en": "Send this report?\nKind: {category}\nPlace: {lat}, {lng}\nPhotos: {photos}\nDescription: {description}",
        },
        "bot.reports.send_button": {"ja": "通報する", "en": "Send"},
        "bot.reports.filed": {
            "ja": "通報を受け付けました。受付番号は {receipt} です。状況が変わったらお知らせします。",
            "en": "Your report has been received. Your receipt number is {receipt}. We will tell you when it changes.",
        },
        "bot.reports.cancelled": {"ja": "通報をやめました。", "en": "Report cancelled."},
        "bot.reports.expected_photo": {
            "ja": "写真を送るか、「写真なしで続ける」を押してください。",
            "en": "Send a photo, or press “Continue without a photo”.",
        },
        "bot.reports.expected_location": {
            "ja": "位置情報を送ってください（「📍 現在地を送る」）。",
            "en": "Please send a location (“📍 Send my location”).",
        },
        "bot.reports.none": {
            "ja": "まだ通報はありません。/report で通報できます。",
            "en": "No reports yet. Use /report to send one.",
        },
        "bot.reports.list_title": {"ja": "あなたの通報:", "en": "Your reports:"},
        "bot.reports.following": {"ja": "（フォロー中）", "en": "(following)"},
    }
)
