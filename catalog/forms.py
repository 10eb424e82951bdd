"""Form fields for the coin list's GET filters.

The filter names and values are a public contract (`/coins/?metal=silver&year_from=27+BC`), so the
fields accept what collectors type and turn anything unreadable into a form error, never a 500.
"""

from django import forms
from django.core.exceptions import ValidationError

from coinstack.querystring import INTEGER_MAX, has_foreign_digits, is_ascii_number, shown
from numismatics.dates import parse_year
from numismatics.grades import grade_band


class _TextInputField(forms.Field):
    """A text input cleaned into something else: the length check runs on the text, not the result."""

    max_length = 40

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def text(self, value) -> str:
        text = "" if value in self.empty_values else str(value).strip()
        if len(text) > self.max_length:
            raise ValidationError(f"Write at most {self.max_length} characters.", code="max_length")
        # Other scripts' digits ("²", "٣") would be read by some parsers and not others: refused.
        if has_foreign_digits(text):
            raise ValidationError(f'"{shown(text)}": write numbers with the digits 0-9.', code="digits")
        return text


class YearField(_TextInputField):
    """A year as collectors write it: "27 BC", "-27", "AD 14", "14"; cleaned to a signed int."""

    max_length = 30

    def to_python(self, value):
        text = self.text(value)
        if not text:
            return None
        try:
            year = parse_year(text)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid_year") from error
        if not -INTEGER_MAX <= year <= INTEGER_MAX:  # the year columns are 32-bit integers
            raise ValidationError(f'"{shown(text)}" is not a year we can look for.', code="invalid_year")
        return year


class GradeField(_TextInputField):
    """A grade band bound: a grade word ("VF", "Choice EF", "ss") or a number from 0 to 100.

    A word bound takes in the word's qualified forms: `grade_min=VF` includes "near VF" (67) and
    `grade_max=VF` includes "VF+" and "Good VF" (72, 73), as a collector asking for VF would expect.
    `slack` is how far (signed) a word bound reaches; numbers are taken exactly.
    """

    def __init__(self, *, slack: int = 0, **kwargs):
        self.slack = slack
        super().__init__(**kwargs)

    def to_python(self, value):
        text = self.text(value)
        if not text:
            return None
        if is_ascii_number(text):
            number = int(text)
            if 0 <= number <= 100:
                return number
        else:
            band = grade_band(text)
            if band is not None:
                return max(0, min(100, band + self.slack))
        raise ValidationError(
            f'"{text}" is not a grade we can read; write one such as F, VF, EF or AU (or 0-100).',
            code="invalid_grade",
        )


# The adjectival scale, low to high, offered in the grade selects; any other grade word also works.
GRADE_CHOICES = [("", "any")] + [
    (word, word) for word in ("Poor", "Fair", "AG", "G", "VG", "F", "VF", "EF", "AU", "MS")
]
