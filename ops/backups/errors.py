"""The one error every backup and restore step raises, so commands can report it in one line."""


class BackupError(Exception):
    """A backup could not be made or verified, or a restore was refused; nothing was changed."""
