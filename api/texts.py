"""The API's own texts: transport failures and input checks every field shares."""

from __future__ import annotations

from core.i18n import register

register(
    {
        "error.transport.not_json": {
            "ja": "リクエスト本文を JSON として読めません。",
            "en": "The request body is not valid JSON.",
        },
        "error.transport.too_deep": {
            "ja": "JSON の入れ子が深すぎます。",
            "en": "The JSON is nested too deeply.",
        },
        "error.transport.content_type": {
            "ja": "Content-Type は application/json（ファイル送信は multipart/form-data）にしてください。",
            "en": "Send Content-Type application/json (multipart/form-data for uploads).",
        },
        "error.transport.multipart": {
            "ja": "multipart の本文が正しくありません（operations と map を確認してください）。",
            "en": "The multipart body is not valid (check operations and map).",
        },
        "error.transport.method": {
            "ja": "GraphQL は GET と POST でのみ利用できます。",
            "en": "GraphQL accepts only GET and POST requests.",
        },
        "error.transport.no_ide": {
            "ja": "GraphQL の画面はありません。query を送ってください。",
            "en": "There is no GraphQL IDE here; send a query.",
        },
        "error.transport.no_query": {
            "ja": "GraphQL の query がありません。",
            "en": "The request has no GraphQL query.",
        },
        "error.transport.no_operation": {
            "ja": "実行する操作を決められません（operationName を指定してください）。",
            "en": "Cannot tell which operation to run (give operationName).",
        },
        "error.transport.operation_name": {
            "ja": "「{name}」という操作は文書にありません。",
            "en": "The document has no operation named '{name}'.",
        },
        "error.transport.subscription_over_http": {
            "ja": "subscription は WebSocket（graphql-transport-ws）で送ってください。",
            "en": "Send subscriptions over the WebSocket (graphql-transport-ws).",
        },
        "error.transport.mutation_over_get": {
            "ja": "{method} では query のみ実行できます。mutation は POST で送ってください。",
            "en": "Only queries can be sent with {method}; send mutations with POST.",
        },
        "error.transport.bad_request": {
            "ja": "GraphQL リクエストの形式が正しくありません。",
            "en": "The GraphQL request is not well formed.",
        },
        "error.transport.subscription_limit": {
            "ja": "この接続で同時に実行できる操作の上限（{limit}）に達しました。",
            "en": "This connection already runs the most operations allowed at once ({limit}).",
        },
        "error.not_found_route": {
            "ja": "このアドレスには何もありません。",
            "en": "There is nothing at this address.",
        },
        "error.method_not_allowed": {
            "ja": "このアドレスではこのメソッドは使えません。",
            "en": "This method is not allowed at this address.",
        },
    }
)
