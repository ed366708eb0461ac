"""User-facing errors: each carries a message that names the file, key or fix.

The CLI prints these without a traceback (``--debug`` shows one); anything else
is a bug and is reported with its traceback.
"""


class PipelineError(Exception):
    """Base for errors caused by the user's input, config or environment."""


class ConfigError(PipelineError):
    """A config file or option is invalid: the message names file and key."""


class MissingResourceError(PipelineError):
    """A model, gazetteer or data file is absent: the message says how to get it."""


class InputError(PipelineError):
    """An input article or file cannot be read: the message names file and line."""
