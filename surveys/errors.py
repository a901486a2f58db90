"""The domain's errors. Each kind says what went wrong in the domain's terms; the web layer
(``webapp/boundary.py``) alone decides how each one reaches a reader: a page's message, an
error page, or the API's JSON error with its status."""


def N_(message: str) -> str:
    """Mark a message for translation without translating it here (the domain has no locale)."""
    return message


class DomainError(Exception):
    """A rule of the domain was broken.

    ``message`` is a Vietnamese msgid marked with ``N_``; the web layer translates it
    for the reader's locale and fills in ``params``. ``field`` names what the message is
    about when it is one input among several (a question's key, ``"_challenge"``).
    """

    def __init__(self, message: str, *, field: str | None = None, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params
        self.field = field


class Malformed(DomainError):
    """The request is not in the shape the operation reads (an API body that is not the format)."""


class NotEligible(DomainError):
    """This person may not do this at all (answer a survey meant for another unit, for example)."""


class NotAccepting(DomainError):
    """The survey does not take answers now."""


class Throttled(DomainError):
    """Too many attempts in a short time; the same request will succeed later."""


class ValidationFailed(DomainError):
    """Answers with errors, one message per question key."""

    def __init__(self, errors: dict[str, DomainError]) -> None:
        super().__init__(N_("Vui lòng sửa các câu trả lời được đánh dấu."))
        self.errors = errors
