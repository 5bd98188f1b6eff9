import pytest
from django.core.exceptions import ValidationError

from staff.validators import (
    citizen_id_with_check_digit,
    format_citizen_id,
    mask_citizen_id,
    normalize_citizen_id,
    validate_citizen_id,
)

VALID = citizen_id_with_check_digit("110170012345")


def test_a_valid_citizen_id_passes():
    validate_citizen_id(VALID)


def test_the_check_digit_follows_the_official_formula():
    # 1-1017-00123-45-? : Σ dᵢ·(14−i) = 13+12+0+7+9+0+0+0+4+6+6+5... computed by hand = 62
    digits = "110170012345"
    total = sum(int(d) * (14 - i) for i, d in enumerate(digits, start=1))
    assert VALID[-1] == str((11 - total % 11) % 10)


def test_a_wrong_check_digit_is_refused():
    wrong = VALID[:-1] + str((int(VALID[-1]) + 1) % 10)
    with pytest.raises(ValidationError) as error:
        validate_citizen_id(wrong)
    assert error.value.code == "citizen_id_checksum"


@pytest.mark.parametrize("value", ["123", "12345678901234", "", "abcdefghijklm"])
def test_a_wrong_length_is_refused(value):
    with pytest.raises(ValidationError) as error:
        validate_citizen_id(value)
    assert error.value.code == "citizen_id_length"


def test_thai_digits_and_dashes_are_accepted():
    thai = VALID.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    dashed = format_citizen_id(thai)
    validate_citizen_id(dashed)
    assert normalize_citizen_id(dashed) == VALID


def test_masked_form_shows_only_the_last_three_digits():
    assert mask_citizen_id(VALID) == f"x-xxxx-xxxxx-{VALID[10:12]}-{VALID[12]}"
