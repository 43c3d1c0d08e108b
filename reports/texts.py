"""The reports domain's texts in core.i18n: error codes, notifications, bot dialogue."""

from __future__ import annotations

from core.i18n import register
from reports.messages import MESSAGES, STATUS_LABELS

# The coded errors of reports.errors / reports.validation, as "reports.<CODE>". Their
# "{field}" becomes "{name}": AppError keeps `field` for the input at fault.
register(
    {
        f"reports.{code}": {lang: text.replace("{field}", "{name}") for lang, text in texts.items()}
        for code, texts in MESSAGES.items()
    }
)
register({f"reports.status.{status}": labels for status, labels in STATUS_LABELS.items()})

register(
    {
        "reports.unknown_category": {
            "ja": "「{value}」という通報の種類はありません。",
            "en": "There is no report category '{value}'.",
        },
        "reports.description_too_long": {
            "ja": "説明は {max} 文字以内にしてください（今 {length} 文字です）。",
            "en": "The description may be at most {max} characters (it has {length}).",
        },
        "reports.control_characters": {
            "ja": "説明に使えない制御文字が含まれています。",
            "en": "The description contains control characters that are not allowed.",
        },
        "reports.too_many_photos": {
            "ja": "写真は {max} 枚までです。",
            "en": "At most {max} photos can be attached.",
        },
        "reports.location_required": {
            "ja": "場所がわかりません。地図で場所を指定するか、位置情報付きの写真を送ってください。",
            "en": "We need the location: pick it on the map or send a photo that has its location.",
        },
        "reports.lat_lng_pair": {
            "ja": "緯度と経度は両方を指定してください。",
            "en": "Latitude and longitude must be given together.",
        },
        "reports.outside_area": {
            "ja": "この場所（緯度 {lat}, 経度 {lng}）は市の受付区域の外です。市内の場所を指定してください。",
            "en": "This place (latitude {lat}, longitude {lng}) is outside the city's service area. "
            "Please choose a place in the city.",
        },
        "reports.rate_limited": {
            "ja": "通報の送信が多すぎます（1時間に {limit} 件まで）。しばらくしてから送ってください。",
            "en": "You have sent too many reports (at most {limit} an hour). Please try again later.",
        },
        "reports.note_too_long": {
            "ja": "メモは {max} 文字以内にしてください。",
            "en": "A note may be at most {max} characters.",
        },
        "reports.duplicate_needs_original": {
            "ja": "重複とするには元の通報を指定してください。",
            "en": "Name the original report to mark this one as a duplicate.",
        },
        "reports.merge_into_itself": {
            "ja": "通報を自分自身に統合することはできません。",
            "en": "A report cannot be merged into itself.",
        },
        "reports.merge_target_closed": {
            "ja": "統合先の通報（{receipt}）は受付中ではありません。",
            "en": "The report to merge into ({receipt}) is not open.",
        },
        "reports.merge_chain": {
            "ja": "統合先の通報（{receipt}）自体が重複として統合済みです。",
            "en": "The report to merge into ({receipt}) is itself a duplicate.",
        },
        "reports.withdraw_not_allowed": {
            "ja": "この通報は受付直後の自分の通報ではないため、取り下げられません。",
            "en": "Only your own report that has just been received can be withdrawn this way.",
        },
        "reports.assignee_unknown": {
            "ja": "その職員は見つかりません。",
            "en": "That member of staff was not found.",
        },
        "reports.department_unknown": {
            "ja": "「{value}」という課はありません。",
            "en": "There is no department '{value}'.",
        },
        "reports.bbox_too_large": {
            "ja": "地図の範囲が広すぎます（一辺 {max_km} km まで）。",
            "en": "The map area is too large (at most {max_km} km a side).",
        },
        "reports.reopen_only_resolved": {
            "ja": "再開できるのは対応済みの通報だけです。",
            "en": "Only a resolved report can be reopened.",
        },
        "reports.open311_notice": {
            "ja": "通報を受け付けました。担当課が確認します。",
            "en": "Thank you: your report was received and the responsible department will look at it.",
        },
        # History entries shown to people
        "reports.event.submitted": {"ja": "受け付けました", "en": "Received"},
        "reports.event.assigned": {"ja": "担当を割り当てました", "en": "Assigned"},
        "reports.event.note": {"ja": "メモ", "en": "Note"},
        "reports.event.hidden": {"ja": "非公開にしました", "en": "Hidden"},
        "reports.event.shown": {"ja": "公開に戻しました", "en": "Shown again"},
        "reports.event.photo_hidden": {"ja": "写真を非公開にしました", "en": "Photo hidden"},
        "reports.event.photo_shown": {"ja": "写真を公開に戻しました", "en": "Photo shown again"},
        "reports.event.merged": {"ja": "重複を統合しました", "en": "Duplicate merged in"},
        "reports.event.address": {"ja": "住所を特定しました", "en": "Address found"},
        # Notifications (reporter and followers)
        "reports.notify.status": {
            "ja": "通報 {receipt}（{category_ja}）の状況が「{status_ja}」になりました。{note}",
            "en": "Report {receipt} ({category_en}) is now: {status_en}. {note}",
        },
        "reports.notify.duplicate": {
            "ja": "通報 {receipt} は同じ内容の通報 {original} にまとめられました。今後は {original} の状況をお知らせします。{note}",
            "en": "Report {receipt} was merged into report {original} about the same issue. "
            "You will hear about {original} from now on. {note}",
        },
        "reports.notify.note": {
            "ja": "通報 {receipt}（{category_ja}）について市からのお知らせ: {note}",
            "en": "News from the city about report {receipt} ({category_en}): {note}",
        },
    }
)
