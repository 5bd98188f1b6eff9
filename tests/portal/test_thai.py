import datetime as dt
from decimal import Decimal

import pytest
from pythainlp.util import collate

from portal import thai


class TestDates:
    def test_long_date_is_in_buddhist_era_with_thai_digits(self):
        assert thai.date_long(dt.date(2020, 5, 5)) == "๕ พฤษภาคม ๒๕๖๓"

    def test_long_date_can_keep_arabic_digits(self):
        assert thai.date_long(dt.date(2020, 5, 5), thai_digits=False) == "5 พฤษภาคม 2563"

    def test_short_date_is_in_buddhist_era(self):
        assert thai.date_short(dt.date(2020, 5, 5)) == "5 พ.ค. 2563"

    def test_29_february_of_a_leap_year(self):
        assert thai.date_short(dt.date(2024, 2, 29)) == "29 ก.พ. 2567"
        assert thai.fiscal_year(dt.date(2024, 2, 29)) == 2567
        assert thai.fiscal_quarter(dt.date(2024, 2, 29)) == 2

    def test_no_date_gives_empty_text(self):
        assert thai.date_long(None) == ""
        assert thai.date_short(None) == ""


class TestFiscalYear:
    def test_30_september_closes_the_fiscal_year(self):
        assert thai.fiscal_year(dt.date(2022, 9, 30)) == 2565

    def test_1_october_opens_the_next_fiscal_year(self):
        assert thai.fiscal_year(dt.date(2022, 10, 1)) == 2566

    def test_fiscal_year_2565_runs_from_1_oct_2564_to_30_sep_2565(self):
        assert thai.fiscal_year_start(2565) == dt.date(2021, 10, 1)
        assert thai.fiscal_year_end(2565) == dt.date(2022, 9, 30)
        assert dt.date(2021, 10, 1) in thai.fiscal_year_range(2565)
        assert dt.date(2021, 9, 30) not in thai.fiscal_year_range(2565)

    @pytest.mark.parametrize(
        ("day", "quarter"),
        [
            (dt.date(2021, 10, 1), 1),
            (dt.date(2021, 12, 31), 1),
            (dt.date(2022, 1, 1), 2),
            (dt.date(2022, 3, 31), 2),
            (dt.date(2022, 4, 1), 3),
            (dt.date(2022, 6, 30), 3),
            (dt.date(2022, 7, 1), 4),
            (dt.date(2022, 9, 30), 4),
        ],
    )
    def test_quarters_start_in_october(self, day, quarter):
        assert thai.fiscal_quarter(day) == quarter

    def test_first_six_months_end_on_31_march(self):
        first_half = thai.first_half_range(2565)
        assert first_half == (dt.date(2021, 10, 1), dt.date(2022, 3, 31))
        assert dt.date(2022, 3, 31) in first_half
        assert dt.date(2022, 4, 1) not in first_half


class TestNumbers:
    def test_thai_digits(self):
        assert thai.thai_digits("พ.ศ. 2563") == "พ.ศ. ๒๕๖๓"

    def test_arabic_digits_from_thai(self):
        assert thai.arabic_digits("๑๒๓") == "123"

    def test_money_has_two_decimals_and_thousands(self):
        assert thai.money(Decimal("123456.5")) == "123,456.50"
        assert thai.money(0) == "0.00"

    def test_money_in_whole_baht_leaves_out_only_empty_satang(self):
        assert thai.money(Decimal("120000.00"), whole_baht=True) == "120,000"
        assert thai.money(Decimal("1500.50"), whole_baht=True) == "1,500.50"
        assert thai.money(None, whole_baht=True) == ""

    @pytest.mark.parametrize(
        ("amount", "words"),
        [
            (0, "ศูนย์บาทถ้วน"),
            (Decimal("0.50"), "ห้าสิบสตางค์"),
            (1_000_001, "หนึ่งล้านเอ็ดบาทถ้วน"),
            (Decimal("123456.50"), "หนึ่งแสนสองหมื่นสามพันสี่ร้อยห้าสิบหกบาทห้าสิบสตางค์"),
            (21, "ยี่สิบเอ็ดบาทถ้วน"),
        ],
    )
    def test_baht_in_words(self, amount, words):
        assert thai.baht_text(amount) == words

    def test_baht_in_words_refuses_a_negative_amount(self):
        with pytest.raises(ValueError):
            thai.baht_text(-1)

    def test_numbers_typed_with_thai_digits_and_commas(self):
        assert thai.parse_number(" ๑,๒๓๔.๕๐ ") == Decimal("1234.50")


class TestThaiOrder:
    DESIGN_ORDER = ["กมล", "เกษม", "แก้ว", "โกมล", "ไก่", "ขวัญ"]

    def test_names_sort_in_dictionary_order(self):
        shuffled = ["ไก่", "ขวัญ", "แก้ว", "กมล", "โกมล", "เกษม"]
        assert sorted(shuffled, key=thai.thai_sort_key) == self.DESIGN_ORDER

    def test_our_key_agrees_with_pythainlp(self):
        words = [*self.DESIGN_ORDER, "เกิด", "กาล", "เป็ด", "หมู", "วัว", "วันที่", "ไข่", "ใจ"]
        assert sorted(words, key=thai.thai_sort_key) == collate(words)

    def test_compare_is_consistent(self):
        assert thai.thai_compare("เกษม", "กมล") == 1
        assert thai.thai_compare("กมล", "เกษม") == -1
        assert thai.thai_compare("กมล", "กมล") == 0


class TestParseDate:
    @pytest.mark.parametrize(
        "text",
        [
            "01/10/2563",
            "1/10/2563",
            "1/10/63",
            "01/10/2020",
            "2020-10-01",
            "2563-10-01",
            "1 ต.ค. 2563",
            "1 ตุลาคม 2563",
            "1 ต.ค. พ.ศ. 2563",
            "๑ ต.ค. ๒๕๖๓",
            "  01-10-2563 ",
            "1 ตค 63",
        ],
    )
    def test_thai_office_dates_are_read_in_be_or_ce(self, text):
        assert thai.parse_date(text) == dt.date(2020, 10, 1)

    def test_29_february_in_be_of_a_leap_year(self):
        assert thai.parse_date("29/02/2567") == dt.date(2024, 2, 29)

    @pytest.mark.parametrize("text", ["", "31/02/2563", "1 foo 2563", "01/10/3000", "abc"])
    def test_not_a_date_raises(self, text):
        with pytest.raises(ValueError):
            thai.parse_date(text)

    def test_input_shows_dates_in_be(self):
        assert thai.format_date_input(dt.date(2020, 10, 1)) == "01/10/2563"
