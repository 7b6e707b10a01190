"""The value repairs: each says whether it changed anything, so every repair is counted."""

from landing.importers.cleaning import (
    expand_truncated,
    is_null_token,
    normalise_whitespace,
    repair_mojibake,
)


def test_utf8_read_as_windows_1252_is_decoded_again():
    assert repair_mojibake("DoubleÂ\u00a0Overhead Camshaft") == ("Double Overhead Camshaft", True)
    assert repair_mojibake("CafÃ©") == ("Café", True)


def test_clean_text_and_real_accents_are_left_alone():
    assert repair_mojibake("Overhead Camshaft") == ("Overhead Camshaft", False)
    assert repair_mojibake("Café à Genève") == ("Café à Genève", False)


def test_a_cut_name_is_expanded_only_when_one_name_fits():
    makes = ("Mercedes-Benz", "Mercury", "Ford")
    assert expand_truncated("Mercedes-B", makes) == ("Mercedes-Benz", True)
    assert expand_truncated("Merc", makes) == ("Merc", False)  # ambiguous
    assert expand_truncated("Ford", makes) == ("Ford", False)
    assert expand_truncated("Opel", makes) == ("Opel", False)


def test_spellings_of_nothing_are_null_but_names_are_not():
    assert is_null_token("None") and is_null_token("") and is_null_token(" NULL ")
    assert not is_null_token("Nan") and not is_null_token("Noneman")


def test_whitespace_is_trimmed_and_collapsed():
    assert normalise_whitespace("Auckland  ") == ("Auckland", True)
    assert normalise_whitespace("New  York") == ("New York", True)
    assert normalise_whitespace("Oslo") == ("Oslo", False)


def test_makes_cut_at_the_exports_width_expand_beyond_the_car_sales_makes():
    from landing.importers.makes import make_repairs

    cut = ["Rolls-Royc", "Aston Mart", "Mercedes-B", "Land Rover", "Kia", "Studebaker"]
    assert make_repairs(cut) == {
        "Rolls-Royc": "Rolls-Royce",
        "Aston Mart": "Aston Martin",
        "Mercedes-B": "Mercedes-Benz",
    }


def test_a_make_missing_from_the_list_is_expanded_from_its_full_spelling_in_the_export():
    from landing.importers.makes import make_repairs

    export = ["Yugo Koral", "Yugo Kor", "Ford", "For"]
    assert make_repairs(export, known=("Ford",)) == {"Yugo Kor": "Yugo Koral", "For": "Ford"}
    assert make_repairs(["Yugo Kor", "Ford"], known=("Ford",)) == {}  # never guessed
