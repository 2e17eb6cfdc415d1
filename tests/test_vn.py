from thidua_xl.vn import fmt_money_full, fmt_number, fold, money_in_words


def test_fold_matches_nfc_nfd_spaces_case_and_tone_placement():
    import unicodedata

    name = "Xã Hòa An"
    assert fold(unicodedata.normalize("NFD", name)) == fold(name)
    assert fold("  xã   HÒA an ") == fold(name)
    assert fold("Xã Hoà An") == fold(name)
    assert fold("Xã Hoa An") != fold(name)


def test_number_and_money_formats():
    assert fmt_number(50.52) == "50,52"
    assert fmt_number(1732) == "1.732"
    assert fmt_number(-9) == "−9"
    assert money_in_words(10_000_000) == "Mười triệu đồng"
    assert fmt_money_full(20_000_000) == "20.000.000 đồng (Hai mươi triệu đồng)"
