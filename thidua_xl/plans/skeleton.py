"""The module ``thidua-xl new-plan ID`` writes when there is no plan to copy: every part of a plan once.

One bloc, two criteria of different kinds (a rate with a full-marks threshold,
a yes/no with a penalty), a gate (rate below a floor → not considered), a
tie-break and an award scheme; each line says what it is and which clause of
the Kế hoạch it must match.
(The text is filled with ``str.format``: plan id, title and year.)
"""

from __future__ import annotations

SKELETON = '''"""Kế hoạch {plan_id} — viết theo mẫu của 'thidua-xl new-plan'.

Sửa từng con số theo Kế hoạch, ghi mục của Kế hoạch vào clause="..." (hoặc vào
chú thích cuối dòng), rồi kiểm tra: thidua-xl check-plan <tệp này>.
Cách viết từng loại quy tắc: docs/viet-bo-tieu-chi.md.
"""

from __future__ import annotations

from thidua_xl.rubric import (
    AwardScheme,
    Below,
    Bloc,
    Criterion,
    Figure,
    Kind,
    RateScore,
    Ratio,
    Rubric,
    TieBreak,
    Tier,
    YesNo,
)

PLAN_ID = "{plan_id}"  # tên tệp phải là mã này với '-' thay bằng '_'

DON_VI = Bloc(
    id="don_vi",                      # mã khối: tên tệp số liệu ví dụ examples/{plan_id}/don_vi.csv
    label="Các đơn vị",               # tên khối như trong Kế hoạch
    unit_label="Đơn vị",              # tiêu đề cột tên đơn vị
    max_total=100,  # khớp Kế hoạch: thang điểm của khối = tổng điểm chuẩn các tiêu chí
    figures=(
        # Số liệu nhập: mã cột, tiêu đề cột (như trên sheet), loại (COUNT số lượng, RATE tỷ lệ, YES_NO có/không).
        Figure("ho_so_truc_tuyen", "Số hồ sơ nộp trực tuyến", Kind.COUNT),
        Figure("ho_so_phat_sinh", "Tổng số hồ sơ phát sinh", Kind.COUNT),
        Figure("co_ke_hoach", "Có ban hành kế hoạch triển khai", Kind.YES_NO),
        Figure("diem_noi_bat", "Thành tích nổi bật (điểm Hội đồng chấm)", Kind.NUMBER, required=False),
    ),
    derived=(
        # Tỷ lệ tính từ hai cột: tử số ≤ mẫu số, mẫu số > 0.
        Ratio("ty_le_truc_tuyen", "Tỷ lệ hồ sơ trực tuyến", "ho_so_truc_tuyen", "ho_so_phat_sinh"),
    ),
    criteria=(
        # Loại 1 — tỷ lệ có ngưỡng tròn điểm: từ full_at trở lên được đủ điểm chuẩn, dưới đó tỷ lệ × điểm chuẩn.
        Criterion("dvctt", "Tỷ lệ hồ sơ nộp trực tuyến", 60,
                  RateScore("ty_le_truc_tuyen", full_at=0.9),
                  clause="Mục III.1, dòng 1 (sửa theo Kế hoạch): đạt 90 % → 60 điểm; dưới 90 % → tỷ lệ × 60"),
        # Loại 2 — có/không, có điểm trừ khi không làm: có → điểm chuẩn, không → điểm 'no'.
        Criterion("ke_hoach", "Ban hành kế hoạch triển khai", 40,
                  YesNo("co_ke_hoach", no=-5),
                  clause="Mục III.1, dòng 2 (sửa theo Kế hoạch): có kế hoạch → 40 điểm; không có → trừ 5 điểm"),
    ),
    eligibility=(
        # Điều kiện: tỷ lệ dưới ngưỡng thì không xét khen thưởng (vẫn được chấm điểm).
        Below("ty_le_truc_tuyen", 0.5, "Không xét khen thưởng",
              clause="Mục III.2 (sửa theo Kế hoạch): tỷ lệ hồ sơ trực tuyến dưới 50 % không xét"),
    ),
    tiebreaks=(
        # Khi bằng điểm: đơn vị có điểm thành tích nổi bật cao hơn xếp trên.
        TieBreak("diem_noi_bat", higher_is_better=True, label="thành tích nổi bật",
                 clause="Mục III.3 (sửa theo Kế hoạch): bằng điểm thì xét thành tích nổi bật"),
    ),
)

RUBRIC = Rubric(
    id=PLAN_ID,
    title={title},
    issuer="(cơ quan ban hành Kế hoạch)",
    year={year},  # khớp Kế hoạch: năm thực hiện ghi trong Kế hoạch
    source="(số, ngày của Kế hoạch)",
    blocs=(DON_VI,),
    awards=(
        AwardScheme(
            id="don_vi", label="Khen thưởng các đơn vị", blocs=("don_vi",),
            clause="Mục IV (sửa theo Kế hoạch): giải Nhất, Nhì, Ba",
            tiers=(
                # Tier(tên, số giải, min_score=điểm tối thiểu, prize=tiền thưởng (đồng), individuals=số cá nhân)
                Tier("Giải Nhất", 1, min_score=80, prize=5_000_000, individuals=1),
                Tier("Giải Nhì", 1, min_score=70, prize=3_000_000, individuals=1),
                Tier("Giải Ba", 1, min_score=60, prize=2_000_000, individuals=1),
            ),
        ),
    ),
)
'''

# Five units: two tie on 100 points (the tie-break decides), one under the 50 % floor, one without a plan.
EXAMPLE_CSV = """Đơn vị,Số hồ sơ nộp trực tuyến,Tổng số hồ sơ phát sinh,Có ban hành kế hoạch triển khai,Thành tích nổi bật (điểm Hội đồng chấm)
Đơn vị A,950,1000,có,8
Đơn vị B,460,500,có,5
Đơn vị C,700,1000,có,
Đơn vị D,400,1000,có,
Đơn vị E,850,1000,không,
"""
