"""Names of the columns the engine adds, and their Vietnamese headers.

Kept in one place so that the CLI, the UDFs and the award sheet all show the
same words for the same thing.
"""

from __future__ import annotations

from .validation import UNIT

BLOC = "khoi"
TOTAL = "tong_diem"
ELIGIBLE = "du_dieu_kien"
REASON = "ly_do_khong_xet"
CLASS = "xep_loai"
ERROR = "loi_du_lieu"
RANK = "hang"
AWARD_RANK = "hang_xet_thuong"
TIED = "dong_hang"
RANK_NOTE = "ghi_chu_xep_hang"
AWARD = "hinh_thuc"
LEVEL = "cap_khen"
PRIZE = "tien_thuong"
BONUS = "diem_cong"
INDIVIDUALS = "so_ca_nhan"
NOTE = "ghi_chu"
COUNCIL = "can_hoi_dong_quyet"

HEADERS = {
    UNIT: "Đơn vị",
    BLOC: "Khối thi đua",
    TOTAL: "Tổng điểm",
    ELIGIBLE: "Đủ điều kiện xét",
    REASON: "Lý do không xét",
    CLASS: "Xếp loại",
    ERROR: "Lỗi số liệu",
    RANK: "Hạng theo điểm",
    AWARD_RANK: "Xếp hạng xét thưởng",
    TIED: "Đồng hạng",
    RANK_NOTE: "Ghi chú xếp hạng",
    AWARD: "Hình thức khen thưởng",
    LEVEL: "Cấp khen",
    PRIZE: "Tiền thưởng (đồng)",
    BONUS: "Điểm cộng thi đua",
    INDIVIDUALS: "Số cá nhân",
    NOTE: "Ghi chú",
    COUNCIL: "Cần Hội đồng quyết định",
}
