def N_(message: str) -> str:
    """Mark a message for translation without translating it here (the domain has no locale)."""
    return message


class DomainError(Exception):
    """A rule of the domain was broken.

    ``message`` is a Vietnamese msgid marked with ``N_``; the web layer translates it
    for the reader's locale and fills in ``params``.
    """

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params
