"""clean() and fold(): the normalisation every parser relies on."""

from numismatics.text import clean, fold


def test_clean_turns_odd_spaces_into_one_plain_space():
    # The spreadsheet's "Roman Provincial\xa0" and "RIC V.1#\u202f13c" are real values.
    assert clean(" Roman\xa0 Provincial\xa0") == "Roman Provincial"
    assert clean("RIC V.1#\u202f13c") == "RIC V.1# 13c"
    assert clean("a\t\n b") == "a b"


def test_clean_none_is_empty_and_nfc_composes_accents():
    assert clean(None) == ""
    assert clean("Calico\u0301") == "Calicó"


def test_fold_matches_case_and_accent_variants():
    assert fold("  Kölner MÜNZEN ") == "kolner munzen"
    assert fold("Traité") == fold("TRAITE")
    assert fold("Æ") == "ae"
