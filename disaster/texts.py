"""What the disaster domain says, in Japanese and English."""

from __future__ import annotations

from core.i18n import register

register(
    {
        "disaster.mode.hazard_without_disaster": {
            "ja": "災害の種類は災害モードにするときだけ指定できます。",
            "en": "A hazard can only be given when switching to disaster mode.",
        },
        "disaster.safety.alert_closed": {
            "ja": "この緊急情報への安否の回答は受け付けていません。",
            "en": "Safety answers are not taken for this alert.",
        },
        "disaster.safety.lat_and_lng": {
            "ja": "位置は緯度と経度の両方を指定してください。",
            "en": "Give both the latitude and the longitude.",
        },
        "disaster.safety.shelter_needed": {
            "ja": "いる避難所を選んでください。",
            "en": "Choose the shelter you are at.",
        },
        "disaster.safety.shelter_only_at_shelter": {
            "ja": "避難所は「避難所にいる」と答えるときだけ指定できます。",
            "en": "A shelter can only be given with the answer AT_SHELTER.",
        },
        "disaster.safety.help_needs_where": {
            "ja": "助けが必要な場所がわかるよう、現在地を送るか、場所と状況をひとことで書いてください。",
            "en": "So that help can find you, share your location or write where you are and what is wrong.",
        },
        "disaster.safety.nobody": {
            "ja": "誰の安否かを指定してください。",
            "en": "Say whom the answer is about.",
        },
        "disaster.safety.name_needed": {"ja": "名前を入力してください。", "en": "Enter a name."},
        "disaster.safety.too_many_members": {
            "ja": "家族は {max} 人まで登録できます。",
            "en": "At most {max} household members can be registered.",
        },
        "disaster.safety.too_many_viewers": {
            "ja": "安否を知らせる家族は {max} 人までです。",
            "en": "At most {max} family members can see your answers.",
        },
        "disaster.safety.button.SAFE": {"ja": "✅ 無事", "en": "✅ I'm safe"},
        "disaster.safety.button.AT_SHELTER": {"ja": "🏠 避難所にいる", "en": "🏠 At a shelter"},
        "disaster.safety.button.NEED_HELP": {"ja": "🆘 助けが必要", "en": "🆘 I need help"},
        "disaster.safety.status.SAFE": {"ja": "無事", "en": "Safe"},
        "disaster.safety.status.AT_SHELTER": {"ja": "避難所にいる", "en": "At a shelter"},
        "disaster.safety.status.NEED_HELP": {"ja": "助けが必要", "en": "Needs help"},
        "disaster.district.unknown": {"ja": "地区不明", "en": "District not known"},
        "disaster.support.message": {
            "ja": "【避難支援のお願い】{event}\n{headline}\n支援をお願いしている {name} さんの避難を手伝ってください。\n住所: {address}\n電話: {phone}\n支援が必要な理由: {reason}\n近くの開設中の避難所: {shelter}（約{distance}km）{map_url}\n様子をアプリで「連絡がついた・避難した・連絡がつかない」からお知らせください。",
            "en": "[Please help evacuate] {event}\n{headline}\nPlease help {name} evacuate.\nAddress: {address}\nPhone: {phone}\nWhy help is needed: {reason}\nNearest open shelter: {shelter} (about {distance} km) {map_url}\nTell us in the app: contacted, evacuated or not reachable.",
        },
        "disaster.support.message_no_shelter": {
            "ja": "【避難支援のお願い】{event}\n{headline}\n支援をお願いしている {name} さんの避難を手伝ってください。\n住所: {address}\n電話: {phone}\n支援が必要な理由: {reason}\nこの災害に対して開設中の避難所はまだありません。市の避難情報に従ってください。\n様子をアプリで「連絡がついた・避難した・連絡がつかない」からお知らせください。",
            "en": "[Please help evacuate] {event}\n{headline}\nPlease help {name} evacuate.\nAddress: {address}\nPhone: {phone}\nWhy help is needed: {reason}\nNo shelter is open for this hazard yet: follow the city's evacuation information.\nTell us in the app: contacted, evacuated or not reachable.",
        },
        "disaster.support.required": {"ja": "入力してください。", "en": "This is required."},
        "disaster.support.bad_phone": {
            "ja": "電話番号は数字と + - ( ) で3〜30文字で入力してください。",
            "en": "The phone number must be 3 to 30 digits, spaces, +, -, ( or ).",
        },
        "disaster.support.bad_birth_date": {
            "ja": "生年月日が正しくありません。",
            "en": "The date of birth is not valid.",
        },
        "disaster.support.outside_city": {
            "ja": "住所の位置が市の区域外です。",
            "en": "The address lies outside the city.",
        },
        "disaster.support.consent_needed": {
            "ja": "登録には本人の同意が必要です。",
            "en": "Registration needs the person's consent.",
        },
        "disaster.support.already_registered": {
            "ja": "すでに登録されています。内容の変更は登録内容の編集から行ってください。",
            "en": "You are registered already: edit your registration instead.",
        },
        "disaster.support.too_many_supporters": {
            "ja": "支援者は {max} 人まで登録できます。",
            "en": "At most {max} supporters can be named.",
        },
        "disaster.support.unknown_supporter": {
            "ja": "支援者が見つかりません。Madoguchi に登録している方のIDを指定してください。",
            "en": "No such supporter: give the id of someone with a Madoguchi account.",
        },
        "disaster.support.own_supporter": {
            "ja": "本人を支援者にすることはできません。",
            "en": "A person cannot be their own supporter.",
        },
        "disaster.support.supporter_twice": {
            "ja": "同じ支援者が2回指定されています。",
            "en": "The same supporter is named twice.",
        },
        "disaster.support.sex.FEMALE": {"ja": "女性", "en": "Female"},
        "disaster.support.sex.MALE": {"ja": "男性", "en": "Male"},
        "disaster.support.sex.OTHER": {"ja": "その他", "en": "Other"},
        "disaster.support.check.CONTACTED": {"ja": "連絡がついた", "en": "Contacted"},
        "disaster.support.check.EVACUATED": {"ja": "避難した", "en": "Evacuated"},
        "disaster.support.check.NOT_REACHABLE": {"ja": "連絡がつかない", "en": "Not reachable"},
        "disaster.mode.NORMAL": {"ja": "平常時", "en": "Normal"},
        "disaster.mode.DISASTER": {"ja": "災害モード", "en": "Disaster mode"},
        "disaster.mode.RECOVERY": {"ja": "復旧期", "en": "Recovery"},
    }
)
