"""What the bot says while a resident reports a problem and follows it up."""

from __future__ import annotations

from core.i18n import register

register(
    {
        "bot.cmd.report": {"ja": "道路などの不具合を通報", "en": "Report a problem in the street"},
        "bot.cmd.myreports": {
            "ja": "自分の通報・フォロー中の通報と対応状況",
            "en": "Your reports and those you follow",
        },
        "bot.cmd.nearby": {
            "ja": "近くですでに通報されている不具合",
            "en": "Problems already reported near you",
        },
        "bot.reports.button": {"ja": "📷 道路などの不具合を通報", "en": "📷 Report a problem"},
        "bot.reports.ask_photo": {
            "ja": "問題の場所の写真を送ってください（{max}枚まで）。写真がなければ「写真なしで続ける」を押してください。",
            "en": "Send a photo of the problem (up to {max}). No photo? Press “Continue without a photo”.",
        },
        "bot.reports.skip_photo": {"ja": "写真なしで続ける", "en": "Continue without a photo"},
        "bot.reports.photo_received": {
            "ja": "写真を受け取りました（{count}/{max}）。",
            "en": "Photo received ({count}/{max}).",
        },
        "bot.reports.too_many_photos": {
            "ja": "写真は{max}枚までです。この写真は追加していません。",
            "en": "At most {max} photos; this one was not added.",
        },
        "bot.reports.photo_too_large": {
            "ja": "写真が大きすぎます（{limit}MBまで）。小さくして送り直してください。",
            "en": "The photo is too large (up to {limit} MB). Please send a smaller one.",
        },
        "bot.reports.photo_unreadable": {
            "ja": "写真を受け取れませんでした。もう一度送ってください。",
            "en": "The photo could not be received. Please send it again.",
        },
        "bot.reports.not_an_image": {
            "ja": "画像ファイル（JPEG・PNG・WebP）を送ってください。",
            "en": "Please send an image file (JPEG, PNG or WebP).",
        },
        "bot.reports.ask_location": {
            "ja": "場所を送ってください。下の「📍 現在地を送る」を押すか、添付メニューの「位置情報」で地図から選べます。",
            "en": "Send the location: press “📍 Send my location” below, or pick it on the map from the attachment menu.",
        },
        "bot.reports.location_button": {"ja": "📍 現在地を送る", "en": "📍 Send my location"},
        "bot.reports.outside_area": {
            "ja": "その場所は市の受付区域の外です。市内の場所を送ってください。",
            "en": "That place is outside the city's service area. Please send a place in the city.",
        },
        "bot.reports.ask_category": {
            "ja": "場所を受け取りました。どのような問題ですか？",
            "en": "Location received. What kind of problem is it?",
        },
        "bot.reports.pick_category": {
            "ja": "上のボタンから問題の種類を選んでください。",
            "en": "Please choose the kind of problem with the buttons above.",
        },
        "bot.reports.duplicates": {
            "ja": "近くに同じ種類の通報がすでにあります:",
            "en": "There are reports of this kind nearby already:",
        },
        "bot.reports.duplicate_line": {
            "ja": "{number}. {receipt}（{status}・{day}・{distance}）",
            "en": "{number}. {receipt} ({status}, {day}, {distance})",
        },
        "bot.reports.duplicate_mine": {"ja": "あなたの通報です", "en": "your own report"},
        "bot.reports.duplicate_following": {"ja": "フォロー中", "en": "you follow it"},
        "bot.reports.duplicates_question": {
            "ja": "同じ問題なら、新しく通報せずにその通報の状況をお知らせします。",
            "en": "If it is the same problem, we will keep you posted on that report instead of filing a new one.",
        },
        "bot.reports.follow_button": {
            "ja": "{number}と同じ: フォローする",
            "en": "Same as {number}: follow it",
        },
        "bot.reports.same_button": {
            "ja": "{number}と同じ: 通報をやめる",
            "en": "Same as {number}: stop here",
        },
        "bot.reports.new_button": {
            "ja": "違う問題として通報する",
            "en": "It is a different problem",
        },
        "bot.reports.pick_duplicate": {
            "ja": "上のボタンで、同じ問題か違う問題かを選んでください。",
            "en": "Please tell with the buttons above whether it is the same problem.",
        },
        "bot.reports.followed": {
            "ja": "通報 {receipt}（{status}）をフォローしました。状況が変わったらお知らせします。",
            "en": "You now follow report {receipt} ({status}). We will tell you when it changes.",
        },
        "bot.reports.already_known": {
            "ja": "通報 {receipt}（{status}）で対応します。状況が変わったらお知らせします。",
            "en": "Report {receipt} ({status}) covers it. We will tell you when it changes.",
        },
        "bot.reports.ask_description": {
            "ja": "状況を文章で教えてください（{max}文字まで）。",
            "en": "Describe the problem in a few words (up to {max} characters).",
        },
        "bot.reports.expected_description": {
            "ja": "状況を文章で送ってください。",
            "en": "Please describe the problem in a message.",
        },
        "bot.reports.description_too_long": {
            "ja": "説明は{max}文字以内にしてください（今 {length} 文字です）。",
            "en": "Please keep it to {max} characters (it has {length}).",
        },
        "bot.reports.confirm": {
            "ja": "この内容で通報しますか？\n種類: {category}\n場所: {place}\n写真: {photos}枚\n説明: {description}",
            "en": "Send this report?\nKind: {category}\nPlace: {place}\nPhotos: {photos}\nDescription: {description}",
        },
        "bot.reports.press_send": {
            "ja": "「通報する」か「やめる」を押してください。写真を追加することもできます。",
            "en": "Press “Send” or “Cancel”. You can still add a photo.",
        },
        "bot.reports.send_button": {"ja": "通報する", "en": "Send"},
        "bot.reports.cancel_button": {"ja": "やめる", "en": "Cancel"},
        "bot.reports.filed": {
            "ja": "通報を受け付けました。受付番号は {receipt} です。状況が変わったらお知らせします。",
            "en": "Your report has been received. Your receipt number is {receipt}. We will tell you when it changes.",
        },
        "bot.reports.not_filed": {
            "ja": "通報はまだ送られていません（内容はそのまま残っています）。",
            "en": "The report has not been sent yet (what you entered is kept).",
        },
        "bot.reports.photo_lost": {
            "ja": "写真 {number} を Telegram から取得できませんでした。写真を送り直すか、もう一度「通報する」を押してください。",
            "en": "Photo {number} could not be fetched from Telegram. Send it again, or press “Send” once more.",
        },
        "bot.reports.cancelled": {"ja": "通報をやめました。", "en": "Report cancelled."},
        "bot.reports.draft_found": {
            "ja": "書きかけの通報があります（{summary}）。続きから入力しますか？",
            "en": "You have a report in progress ({summary}). Continue it?",
        },
        "bot.reports.draft_photos": {"ja": "写真{count}枚", "en": "{count} photo(s)"},
        "bot.reports.draft_place": {"ja": "場所", "en": "place"},
        "bot.reports.draft_description": {"ja": "説明", "en": "description"},
        "bot.reports.draft_empty": {"ja": "まだ入力なし", "en": "nothing entered yet"},
        "bot.reports.resume_button": {"ja": "続きから", "en": "Continue"},
        "bot.reports.fresh_button": {"ja": "新しく始める", "en": "Start again"},
        "bot.reports.expected_photo": {
            "ja": "写真を送るか、「写真なしで続ける」を押してください。",
            "en": "Send a photo, or press “Continue without a photo”.",
        },
        "bot.reports.expected_location": {
            "ja": "位置情報を送ってください（「📍 現在地を送る」）。",
            "en": "Please send a location (“📍 Send my location”).",
        },
        "bot.reports.map_link": {"ja": "地図で確認 {url}", "en": "see the map {url}"},
    }
)

register(
    {
        "bot.reports.none": {
            "ja": "まだ通報はありません。/report で通報できます。",
            "en": "No reports yet. Use /report to send one.",
        },
        "bot.reports.list_title": {"ja": "あなたの通報:", "en": "Your reports:"},
        "bot.reports.list_line": {
            "ja": "{number}. {icon} {receipt} {category} — {status}（{day}）{following}",
            "en": "{number}. {icon} {receipt} {category} — {status} ({day}){following}",
        },
        "bot.reports.following": {"ja": "（フォロー中）", "en": " (following)"},
        "bot.reports.list_hint": {
            "ja": "番号のボタンで詳しい状況を表示します。近くの通報は /nearby で。",
            "en": "Tap a number for details. /nearby shows reports near you.",
        },
        "bot.reports.detail": {
            "ja": "{icon} {category}（受付番号 {receipt}）\n状況: {status}\n受付: {day}\n場所: {place}\n担当: {department}",
            "en": "{icon} {category} (receipt {receipt})\nStatus: {status}\nFiled: {day}\nPlace: {place}\nDepartment: {department}",
        },
        "bot.reports.detail_description": {"ja": "内容: {text}", "en": "Description: {text}"},
        "bot.reports.detail_note": {
            "ja": "市からのお知らせ: {note}",
            "en": "From the city: {note}",
        },
        "bot.reports.detail_acknowledge_by": {
            "ja": "確認の目安: {when}",
            "en": "To be acknowledged by: {when}",
        },
        "bot.reports.detail_resolve_by": {
            "ja": "対応完了の目安: {when}",
            "en": "To be resolved by: {when}",
        },
        "bot.reports.detail_overdue": {
            "ja": "（目安を過ぎています）",
            "en": "(past the target date)",
        },
        "bot.reports.detail_duplicate_of": {
            "ja": "{receipt} と同じ問題として対応しています。",
            "en": "Handled together with {receipt}.",
        },
        "bot.reports.history_title": {"ja": "経過:", "en": "History:"},
        "bot.reports.history_status": {"ja": "{day} {status}", "en": "{day} {status}"},
        "bot.reports.history_note": {"ja": "{day} {actor}: {note}", "en": "{day} {actor}: {note}"},
        "bot.reports.follow_this": {"ja": "フォローする", "en": "Follow"},
        "bot.reports.unfollow_this": {"ja": "フォローをやめる", "en": "Stop following"},
        "bot.reports.reopen_this": {
            "ja": "まだ直っていない（再対応を依頼）",
            "en": "Not fixed yet (reopen)",
        },
        "bot.reports.unfollowed": {
            "ja": "通報 {receipt} のフォローをやめました。",
            "en": "You no longer follow report {receipt}.",
        },
        "bot.reports.reopened": {
            "ja": "通報 {receipt} の再対応を依頼しました（{status}）。",
            "en": "Report {receipt} is reopened ({status}).",
        },
        "bot.reports.ask_nearby_location": {
            "ja": "現在地を送ってください。近くで通報されている不具合を表示します。",
            "en": "Send your location to see the problems reported near you.",
        },
        "bot.reports.nearby_title": {
            "ja": "近く（約{radius}m以内）の通報:",
            "en": "Reports within about {radius} m:",
        },
        "bot.reports.nearby_line": {
            "ja": "{number}. {icon} {category} — {status}（{day}・{distance}）{mark}",
            "en": "{number}. {icon} {category} — {status} ({day}, {distance}){mark}",
        },
        "bot.reports.nearby_none": {
            "ja": "近くで通報されている不具合はありません。/report で通報できます。",
            "en": "No problem has been reported near you. Use /report to report one.",
        },
    }
)
