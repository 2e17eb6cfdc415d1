"""Periods by hand (issue 13 "Done means"): Châu Thành A's monthly winners on year-to-date figures, Phụng Hiệp's
worst month, Ninh Phước's two cut-offs, the 766 index classified month by month."""

from __future__ import annotations

import pandas as pd
import pytest

from thidua_xl import rubrics
from thidua_xl.awards import award_plan
from thidua_xl.columns import AWARD, CLASS, ELIGIBLE, REASON, TOTAL
from thidua_xl.periods import (
    Cadence,
    PeriodError,
    allocate_in_period,
    run_year,
    score_period,
    score_periods,
)

# --- Châu Thành A 2021, three months --------------------------------------------------------------------------
# Points (Cách tính điểm II; phòng ban I): kế hoạch có 10; thủ tục: 1 → 15, +5 each further one; tài khoản:
# ≥ 1.500 → 35, +5 per further 100; hồ sơ: ≥ 200 (xã) / 150 (phòng ban) → 30, +5 per further 20; giải quyết:
# ≥ 98 % → 10, +5 per further whole point. Gate: 90 points. Roll-up: accounts and dossiers summed, procedures
# registered = last month's count, rate = mean of the months, "có kế hoạch" = có in some month.


def cta(ky, name, procs, accounts, dossiers, rate):
    return {"Kỳ": ky, "Đơn vị": name, "co_ke_hoach": "có", "so_thu_tuc_dang_ky": procs, "so_tai_khoan": accounts,
            "so_ho_so_truc_tuyen": dossiers, "ty_le_giai_quyet": rate, "bao_cao_tre_1_3_ngay": 0,
            "bao_cao_tre_qua_3_ngay": 0, "bao_cao_khong_trung_thuc": 0}


CTA_XA = pd.DataFrame([
    cta("2021-01", "Xã A", 2, 900, 120, "99%"), cta("2021-02", "Xã A", 2, 700, 100, "99%"),
    cta("2021-03", "Xã A", 2, 100, 20, "99%"),
    cta("T1/2021", "Xã B", 1, 1600, 210, "98%"), cta("T2/2021", "Xã B", 1, 0, 0, "98%"),
    cta("T3/2021", "Xã B", 1, 0, 0, "98%"),
])
CTA_PB = pd.DataFrame([
    cta("01/2021", "Phòng X", 3, 1000, 100, "100%"), cta("02/2021", "Phòng X", 3, 300, 40, "100%"),
    cta("03/2021", "Phòng X", 3, 300, 60, "100%"),
])


@pytest.fixture(scope="module")
def cta_year():
    return run_year(rubrics.get("chau-thanh-a-2021"), {"xa": CTA_XA, "phong_ban": CTA_PB})


def test_cta_monthly_winners_are_decided_on_year_to_date_figures_pooling_both_blocs(cta_year):
    # January (Jan only):
    #   Xã A: 10 + 20 + 0 (900 < 1.500) + 0 (120 < 200) + 15 (99 %) = 45 — below the gate
    #   Xã B: 10 + 15 + (35 + 5) (1.600) + 30 (210) + 10 (98 %) = 105
    #   Phòng X: 10 + 25 + 0 (1.000) + 0 (100 < 150) + 20 (100 %) = 55
    # February (Jan + Feb):
    #   Xã A: 1.600 accounts → 40, 220 dossiers → 35: 10 + 20 + 40 + 35 + 15 = 120
    #   Xã B: unchanged totals → 105;  Phòng X: 1.300 → 0, 140 → 0: 55
    # March (Jan–Mar):
    #   Xã A: 1.700 → 45, 240 → 40: 10 + 20 + 45 + 40 + 15 = 130
    #   Phòng X: 1.600 → 40, 200 dossiers ≥ 150 → 30 + 2×5 = 40: 10 + 25 + 40 + 40 + 20 = 135 — a phòng ban wins
    #   over the communes: the two blocs are pooled ("01 tập thể tiêu biểu nhất").
    (monthly,) = cta_year.of(Cadence.MONTHLY)
    winners = monthly.table()
    assert winners[["ky", "don_vi", TOTAL]].values.tolist() == [
        ["..2021-01", "Xã B", 105.0], ["..2021-02", "Xã A", 120.0], ["..2021-03", "Phòng X", 135.0]]
    assert (winners["tien_thuong"] == 1_000_000).all()


def test_cta_a_month_judged_alone_would_name_nobody(cta_year):
    # On February's own figures Xã A has 700 accounts and 100 dossiers: 10 + 20 + 0 + 0 + 15 = 45 < 90.
    rubric = rubrics.get("chau-thanh-a-2021")
    own = score_period(rubric, "xa", CTA_XA, "2021-02").set_index("don_vi")
    assert own.loc["Xã A", TOTAL] == 45 and not own.loc["Xã A", ELIGIBLE]


def test_cta_no_year_end_prize_on_a_monthly_run():
    rubric = rubrics.get("chau-thanh-a-2021")
    march = {"xa": score_period(rubric, "xa", CTA_XA, "..2021-03"),
             "phong_ban": score_period(rubric, "phong_ban", CTA_PB, "..2021-03")}
    year_end = next(s for s in rubric.awards if s.id == "xa")
    with pytest.raises(PeriodError, match="cuối năm"):
        allocate_in_period(rubric, year_end, march, "..2021-03")
    # award_plan on a month: only the monthly scheme runs; on the year: only the year-end schemes.
    yearly = {"xa": CTA_XA.drop(columns="Kỳ").groupby("Đơn vị", as_index=False).first()}
    assert set(award_plan(rubric, yearly, period="2021-03").schemes) == set()  # "thang" needs both blocs
    both = {"xa": yearly["xa"], "phong_ban": CTA_PB.drop(columns="Kỳ").head(1)}
    assert set(award_plan(rubric, both, period="..2021-03").schemes) == {"thang"}
    assert set(award_plan(rubric, both, period="2021").schemes) == {"xa", "phong_ban"}


def test_cta_movement_month_by_month():
    # Year-to-date ranks among the communes: Jan B 1 (105), A 2 (45); Feb A 1 (120) ↑1, B 2 ↓1; Mar A 1 =, B 2 =.
    rubric = rubrics.get("chau-thanh-a-2021")
    table = score_periods(rubric, "xa", CTA_XA, ["..2021-01", "..2021-02", "..2021-03"])
    moves = table.set_index(["ky", "don_vi"])["bien_dong"]
    assert moves.loc[("..2021-01", "Xã A")] == "" and moves.loc[("..2021-02", "Xã A")] == "↑1"
    assert moves.loc[("..2021-02", "Xã B")] == "↓1" and moves.loc[("..2021-03", "Xã B")] == "="


# --- Phụng Hiệp 2023: 2 late dossiers in one month ------------------------------------------------------------
def ph(ky, name, late):
    bloc = rubrics.get("phung-hiep-2023").bloc("xa")
    row = {"Kỳ": ky, "Đơn vị": name}
    for f in bloc.figures:
        row[f.id] = "có" if f.kind.name == "YES_NO" else "100%"
    row["ho_so_tre_han_thang_cao_nhat"] = late
    row["so_ngay_tre_bao_cao_cao_nhat"] = 0
    return row


@pytest.fixture(scope="module")
def ph_year():
    rows = []
    for m in range(1, 13):
        # Xã Hòa Mỹ: 2 late dossiers in May, 1 in each other month (13 in the year, worst month 2).
        rows.append(ph(f"2023-{m:02d}", "Xã Hòa Mỹ", 2 if m == 5 else 1))
        # Xã Tân Long: 1 late dossier every month (12 in the year, but never 2 in a month).
        rows.append(ph(f"2023-{m:02d}", "Xã Tân Long", 1))
    return run_year(rubrics.get("phung-hiep-2023"), {"xa": pd.DataFrame(rows)})


def test_ph_two_late_dossiers_in_one_month_disqualify_for_the_year(ph_year):
    # Both have 200 points (every line at 100 %). Year roll-up of the late-dossier figure = the worst month:
    # Hòa Mỹ 2 ≥ 2 → not considered; Tân Long 1 (not the sum 12) → considered, and takes Giải Nhất.
    (year_end,) = [s for s in ph_year.of(Cadence.YEAR_END) if s.source.id == "xa"]
    table = year_end.outcomes[0].result.table.set_index("don_vi")
    assert table.loc["Xã Hòa Mỹ", TOTAL] == table.loc["Xã Tân Long", TOTAL] == 200
    assert not table.loc["Xã Hòa Mỹ", ELIGIBLE]
    assert "02 hồ sơ DVCTT trễ hẹn/01 tháng" in table.loc["Xã Hòa Mỹ", REASON]
    assert "≥ 2" in table.loc["Xã Hòa Mỹ", REASON]
    assert table.loc["Xã Tân Long", AWARD] == "Giải Nhất" and table.loc["Xã Hòa Mỹ", AWARD] == ""


def test_ph_quarterly_review_flags_only_the_quarter_of_the_bad_month(ph_year):
    (review,) = [s for s in ph_year.of(Cadence.QUARTERLY) if s.source.blocs == ("xa",)]
    table = review.table().set_index(["ky", "don_vi"])
    eligible = table[ELIGIBLE]
    # May is in Q2: Hòa Mỹ is out in Q2 only.
    assert [bool(eligible.loc[(q, "Xã Hòa Mỹ")]) for q in ("2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4")] == \
        [True, False, True, True]
    assert eligible.xs("Xã Tân Long", level="don_vi").all()


# --- Ninh Phước 2023: province on figures to 30/11, district to 15/12 -----------------------------------------
# Score = 75 + 25 × on-time rate (every other line at 100 %, no baseline); rates roll up as the mean of the rows.
# Through November (11 equal months): A 100 %, B 98, C 96, D 94, E 92, F 90 % → 100, 99.5, 99, 98.5, 98, 97.5.
# Row "2023-12-15" (1–15 December): A 0 %, E 50 %, F 100 %, others as before. Up to 15/12 (12 rows):
#   A 11/12 = 91.67 % → 97.92; E (11 × 92 + 50)/12 = 88.5 % → 97.13; F (11 × 90 + 100)/12 = 90.83 % → 97.71.
# Row "2023-12" (16–31 December, after both cut-offs): A 0 %, B 100 % — must change nothing.
OFFICES = {"A": 1.00, "B": 0.98, "C": 0.96, "D": 0.94, "E": 0.92, "F": 0.90}


def np_row(ky, name, on_time):
    row = {"Kỳ": ky, "Đơn vị": f"Phòng {name}", "ty_le_dung_han": on_time, "ty_le_ho_so_truc_tuyen": 1.0,
           "ty_le_ket_qua_dien_tu": 1.0, "ty_le_hai_long_tthc": 1.0, "ty_le_buu_chinh_cong_ich": 1.0}
    return row


def np_rows(with_mid_december: bool, with_late_december: bool) -> pd.DataFrame:
    rows = [np_row(f"2023-{m:02d}", n, r) for m in range(1, 12) for n, r in OFFICES.items()]
    if with_mid_december:
        mid = {**OFFICES, "A": 0.0, "E": 0.5, "F": 1.0}
        rows += [np_row("15/12/2023", n, r) for n, r in mid.items()]
    if with_late_december:
        late = {**OFFICES, "A": 0.0, "B": 1.0}
        rows += [np_row("2023-12", n, r) for n, r in late.items()]
    return pd.DataFrame(rows)


def np_levels(rows: pd.DataFrame) -> tuple[list[str], list[str]]:
    result = run_year(rubrics.get("ninh-phuoc-2023"), {"phong_ban": rows})
    province, district = (s.table() for s in result.of(Cadence.CUTOFF))
    return province["don_vi"].tolist(), district["don_vi"].tolist()


def test_np_figures_after_30_11_do_not_change_the_province_award_and_do_change_the_district_one():
    up_to_november = np_levels(np_rows(False, False))
    with_december = np_levels(np_rows(True, True))
    # Province (30/11): A, on January–November whatever December brings (A's 0 % would drop it to 97.92).
    assert up_to_november[0] == with_december[0] == ["Phòng A"]
    # District (15/12), A already proposed to the province: the next four.
    assert up_to_november[1] == ["Phòng B", "Phòng C", "Phòng D", "Phòng E"]
    assert with_december[1] == ["Phòng B", "Phòng C", "Phòng D", "Phòng F"]  # F 97.71 passes E 97.13


def test_np_rows_after_the_district_cut_off_change_nothing():
    assert np_levels(np_rows(True, False)) == np_levels(np_rows(True, True))


def test_np_award_plan_on_a_cut_off_allocates_only_that_dates_tiers():
    rubric = rubrics.get("ninh-phuoc-2023")
    figures = {"phong_ban": np_rows(False, False).drop(columns="Kỳ").drop_duplicates("Đơn vị")}
    province = award_plan(rubric, figures, period="..2023-11-30").schemes
    assert list(province) == ["phong_ban@2023-11-30"]
    assert province["phong_ban@2023-11-30"].awarded["don_vi"].tolist() == ["Phòng A"]
    district = award_plan(rubric, figures, period="..2023-12-15").schemes["phong_ban@2023-12-15"]
    assert district.awarded["hinh_thuc"].unique().tolist() == ["Giấy khen của Chủ tịch UBND huyện"]
    assert award_plan(rubric, figures, period="2023").schemes == {}  # neither level runs on the year


def test_np_district_scores_by_hand():
    table = score_period(rubrics.get("ninh-phuoc-2023"), "phong_ban", np_rows(True, True), "..2023-12-15")
    totals = table.set_index("don_vi")[TOTAL]
    assert totals[["Phòng A", "Phòng E", "Phòng F", "Phòng B"]].tolist() == [97.92, 97.13, 97.71, 99.5]


# --- 766: monthly classification -----------------------------------------------------------------------------
# Sở/ngành bloc, every indicator at 100 % except "đúng hạn" (20 × rate): total = 80 + 20 × on-time rate.
#   Sở P: Jan 100 % → 100 Xuất sắc; Feb 40 % → 88 Tốt; Mar 100 % → 100 Xuất sắc.
#   Sở Q: Jan 0 % → 80 Tốt; Feb 50 % → 90 Xuất sắc (≥ 90); Mar 45 % → 89 Tốt.
def s766(ky, name, on_time):
    bloc = rubrics.get("hau-giang-766-2024").bloc("so_nganh")
    row = {"Kỳ": ky, "Đơn vị": name, **{f.id: 1.0 for f in bloc.figures}}
    row["ty_le_dung_han"] = on_time
    return row


def test_766_monthly_classification_for_three_months():
    rows = pd.DataFrame([s766("2024-01", "Sở P", 1.0), s766("2024-02", "Sở P", 0.4), s766("2024-03", "Sở P", 1.0),
                         s766("2024-01", "Sở Q", 0.0), s766("2024-02", "Sở Q", 0.5), s766("2024-03", "Sở Q", 0.45)])
    result = run_year(rubrics.get("hau-giang-766-2024"), {"so_nganh": rows})
    (review,) = result.of(Cadence.MONTHLY)
    table = review.table().set_index(["ky", "don_vi"])
    assert table[TOTAL].to_dict() == {
        ("2024-01", "Sở P"): 100, ("2024-01", "Sở Q"): 80, ("2024-02", "Sở P"): 88, ("2024-02", "Sở Q"): 90,
        ("2024-03", "Sở P"): 100, ("2024-03", "Sở Q"): 89}
    assert table[CLASS].to_dict() == {
        ("2024-01", "Sở P"): "Xuất sắc", ("2024-01", "Sở Q"): "Tốt", ("2024-02", "Sở P"): "Tốt",
        ("2024-02", "Sở Q"): "Xuất sắc", ("2024-03", "Sở P"): "Xuất sắc", ("2024-03", "Sở Q"): "Tốt"}
    # Movement: Feb Q passes P (Q ↑1, P ↓1); Mar P back on top.
    assert table.loc[("2024-02", "Sở Q"), "bien_dong"] == "↑1"
    assert table.loc[("2024-03", "Sở P"), "bien_dong"] == "↑1"
    assert not result.of(Cadence.YEAR_END)  # the plan has no awards: monthly results only
