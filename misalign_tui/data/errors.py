"""The one error type the data layer raises for bad input: its message is a single line for the user."""


class CorpusError(Exception):
    """Bad input or an unusable corpus. ``str(err)`` is one line, ready to print after ``error:``."""

    def __init__(self, message: str, *, path: str | None = None, record: str | None = None):
        where = ""
        if path:
            where = f"{path}"
            if record:
                where += f" ({record})"
            where += ": "
        super().__init__(" ".join((where + message).split()))
        self.path = path
        self.record = record
