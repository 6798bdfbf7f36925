"""The one error family: every 4xx/5xx the functions send is one of these."""

from __future__ import annotations


class ApiError(Exception):
    """An error with an HTTP status, a machine-readable code and a Russian message."""

    status = 500
    code = "internal"

    def __init__(
        self,
        code: str | None = None,
        message: str = "Внутренняя ошибка. Попробуйте позже.",
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message
        self.headers = headers or {}


class BadRequest(ApiError):
    status = 400
    code = "bad_request"


class NotFound(ApiError):
    status = 404
    code = "not_found"


class MethodNotAllowed(ApiError):
    status = 405
    code = "method_not_allowed"


class Conflict(ApiError):
    status = 409
    code = "conflict"


class Gone(ApiError):
    status = 410
    code = "gone"


class RequestTimeout(ApiError):
    status = 408
    code = "body_timeout"


class PayloadTooLarge(ApiError):
    status = 413
    code = "payload_too_large"


class UnsupportedMediaType(ApiError):
    status = 415
    code = "unsupported_media_type"


class Unauthorized(ApiError):
    status = 401
    code = "unauthorized"


class Forbidden(ApiError):
    status = 403
    code = "origin_forbidden"


class TooManyRequests(ApiError):
    status = 429
    code = "too_many_requests"

    def __init__(
        self,
        code: str | None = None,
        message: str = "Слишком много попыток. Повторите позже.",
        *,
        retry_after: int = 60,
    ) -> None:
        super().__init__(code, message, headers={"Retry-After": str(retry_after)})


class StoreUnavailable(ApiError):
    """The store cannot be reached; nothing was written and a retry is safe."""

    status = 503
    code = "store_unavailable"

    def __init__(
        self,
        code: str | None = None,
        message: str = "Сервис временно недоступен, ничего не сохранено. Повторите попытку через минуту.",
    ) -> None:
        super().__init__(code, message, headers={"Retry-After": "5"})
