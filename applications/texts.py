"""The applications domain's texts, in Japanese and English."""

from __future__ import annotations

from core.i18n import register

STATUS_NAMES = {
    "AWAITING_PAYMENT": ("お支払い待ち", "Awaiting payment"),
    "AWAITING_VISIT": ("来庁待ち", "Awaiting your visit"),
    "SUBMITTED": ("受付済み", "Submitted"),
    "IN_REVIEW": ("審査中", "In review"),
    "NEEDS_INFO": ("追加情報の依頼中", "More information needed"),
    "APPROVED": ("承認", "Approved"),
    "REJECTED": ("不承認", "Rejected"),
    "COMPLETED": ("完了", "Completed"),
    "WITHDRAWN": ("取り下げ", "Withdrawn"),
}

register({f"applications.status.{k}": {"ja": ja, "en": en} for k, (ja, en) in STATUS_NAMES.items()})
register(
    {
        # Notifications: params receipt, status_ja / status_en.
        "applications.status_changed": {
            "ja": "申請（受付番号 {receipt}）の状況が「{status_ja}」になりました。",
            "en": "Your application {receipt} is now: {status_en}.",
        },
        "applications.info_requested": {
            "ja": "申請（受付番号 {receipt}）について追加の情報をお願いします: {message}",
            "en": "We need more information for your application {receipt}: {message}",
        },
        "applications.refund_sent": {
            "ja": "申請（受付番号 {receipt}）の手数料 {amount}円を返金しました。",
            "en": "We refunded the ¥{amount} fee of your application {receipt}.",
        },
        "applications.visit_booked": {
            "ja": "申請（受付番号 {receipt}）の来庁予約: {when_ja}。受付でQRコードをお見せください。",
            "en": "Counter visit for application {receipt}: {when_en}. Show the QR code at the counter.",
        },
        # Errors.
        "applications.bad_transition": {
            "ja": "この申請は現在「{status}」のため、この操作はできません。",
            "en": "This case is {status}; it cannot become {to}.",
        },
        "applications.not_draft": {
            "ja": "この申請は提出済みのため変更できません。",
            "en": "This application has been submitted and can no longer be changed.",
        },
        "applications.not_submitted": {
            "ja": "この申請はまだ提出されていません。",
            "en": "This application has not been submitted yet.",
        },
        "applications.no_procedures": {
            "ja": "申請する手続きを1つ以上選んでください。",
            "en": "Choose at least one procedure.",
        },
        "applications.too_many_procedures": {
            "ja": "一度に申請できる手続きは{max}件までです。",
            "en": "At most {max} procedures can be filed at once.",
        },
        "applications.unknown_procedure": {
            "ja": "手続き「{procedure}」は見つかりません。",
            "en": "There is no procedure {procedure}.",
        },
        "applications.bad_event_answers": {
            "ja": "ライフイベントの質問への回答が正しくありません。",
            "en": "The answers to the life event's questions are not valid.",
        },
        "applications.answers_invalid": {
            "ja": "入力内容に誤りがあります（{count}件）: {first}",
            "en": "Please check your answers ({count} problems): {first}",
        },
        "applications.answers_too_large": {
            "ja": "回答が大きすぎます（上限 {limit} バイト）。",
            "en": "The answers are too large (limit {limit} bytes).",
        },
        "applications.no_fee": {
            "ja": "この申請にお支払いの必要な手数料はありません。",
            "en": "Nothing in this application needs paying.",
        },
        "applications.no_visit_needed": {
            "ja": "この申請に来庁予約の必要な手続きはありません。",
            "en": "No procedure of this application needs a counter visit.",
        },
        "applications.no_counter": {
            "ja": "この窓口はオンライン予約を受け付けていません。",
            "en": "This counter takes no online bookings.",
        },
        "applications.message_required": {
            "ja": "メッセージを入力してください（{max}文字以内）。",
            "en": "Please write a message (at most {max} characters).",
        },
        "applications.not_your_department": {
            "ja": "他の課の申請は扱えません。",
            "en": "This case belongs to another department.",
        },
        "applications.file_too_large": {
            "ja": "ファイルが大きすぎます（1件 {limit_mb} MB まで）。",
            "en": "The file is too large (at most {limit_mb} MB each).",
        },
        "applications.file_type": {
            "ja": "PDF、JPEG、PNG、HEIC のファイルだけ添付できます（内容で判定します）。",
            "en": "Only PDF, JPEG, PNG and HEIC files can be attached (judged by their content).",
        },
        "applications.file_not_accepted": {
            "ja": "この項目には {accepted} のファイルを添付してください。",
            "en": "This field takes {accepted} files.",
        },
        "applications.not_a_file_field": {
            "ja": "「{field_name}」はファイルを添付する項目ではありません。",
            "en": "“{field_name}” is not a file field.",
        },
        "applications.too_many_files": {
            "ja": "添付できるファイルは{max}件までです。",
            "en": "At most {max} files can be attached.",
        },
        "applications.bad_secret": {
            "ja": "受付番号または照会キーが正しくありません。",
            "en": "The receipt number or the lookup key is not correct.",
        },
    }
)
