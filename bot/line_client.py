"""Send to LINE's Messaging API: the only module (with the `line_*` modules behind it) that calls it.

Pushes and multicasts always carry the caller's `X-Line-Retry-Key` and are retried (timeouts,
dropped connections, 5xx, rate-limit 429) under that same key, so LINE delivers at most once; a
409 carrying `x-line-accepted-request-id` means an earlier attempt was accepted and counts as
delivered. Other 4xx are final and LINE's error message is returned in the result.

Chunking: `multicast` takes at most 500 recipients; `multicast_chunks` splits a longer list with
`chunk_recipients` and sends each chunk under its own retry key, which the caller stores before
the first attempt (one per chunk, in `chunk_recipients` order).

The public names live here; the work is in `line_sending` (LineSender and its request checks),
`line_retry` (the retry loop), `line_quota` and `line_results`.
"""

from bot.line_quota import Quota, QuotaGuard, SendKind, recipients_cost
from bot.line_results import REQUEST_ID_HEADER, LineApiError, Profile, SendResult
from bot.line_retry import ACCEPTED_HEADER, INVALID_REPLY_TOKEN, MONTHLY_LIMIT
from bot.line_sending import DEFAULT_BASE_URL, MAX_MESSAGES, MAX_RECIPIENTS, LineSender, chunk_recipients

__all__ = [
    "ACCEPTED_HEADER",
    "DEFAULT_BASE_URL",
    "INVALID_REPLY_TOKEN",
    "MAX_MESSAGES",
    "MAX_RECIPIENTS",
    "MONTHLY_LIMIT",
    "REQUEST_ID_HEADER",
    "LineApiError",
    "LineSender",
    "Profile",
    "Quota",
    "QuotaGuard",
    "SendKind",
    "SendResult",
    "chunk_recipients",
    "recipients_cost",
]
