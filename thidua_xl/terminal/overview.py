"""What ``thidua-xl`` with no arguments prints: the commands in a few words and what to do first."""

from __future__ import annotations

COMMANDS: tuple[tuple[str, str], ...] = (
    ("plans", "các kế hoạch thi đua, khối thi đua và số tiêu chí"),
    ("demo KẾ-HOẠCH", "chạy ví dụ có sẵn: chấm điểm, xếp hạng, danh sách khen thưởng"),
    ("template KẾ-HOẠCH", "tạo sổ Excel mẫu để nhập số liệu"),
    ("score TỆP -p KẾ-HOẠCH -b KHỐI", "chấm điểm, xếp hạng một khối từ tệp .csv/.xlsx (--unit TÊN: một đơn vị)"),
    ("awards SỔ.xlsx", "lập sheet 'Danh sách khen thưởng' và in danh sách đề nghị"),
    ("whatif TỆP -p KẾ-HOẠCH -b KHỐI", "cần gì để lên hạng, lên giải, đủ điều kiện"),
    ("recalc SỔ.xlsx", "tính lại mọi công thức của sổ khi không có Excel"),
    ("ingest TỆP-HỒ-SƠ -p KẾ-HOẠCH -u SỔ.xlsx", "điền số liệu từ danh sách hồ sơ xuất từ Cổng dịch vụ công"),
    ("addin --install", "cài add-in Excel (tab 'Thi đua', hàm THIDUA_*)"),
    ("new-plan / check-plan / diff-plan", "viết, kiểm tra, so sánh bộ tiêu chí của kế hoạch mới"),
)

TITLE = "thidua-xl — chấm điểm, xếp hạng và lập danh sách khen thưởng phong trào thi đua"

FIRST_STEPS: tuple[str, ...] = (
    "Lần đầu dùng: chạy 'thidua-xl plans' để xem các kế hoạch, rồi 'thidua-xl demo hau-giang-2023' để xem "
    "kết quả mẫu; sau đó 'thidua-xl template hau-giang-2023 -o so-lieu.xlsx' để có sổ nhập số liệu.",
    "Mỗi lệnh có trợ giúp riêng: 'thidua-xl score --help'. Kết quả cho chương trình khác: --format csv hoặc "
    "--format json; --quiet chỉ in kết quả. Mã thoát: 0 là xong, 2 là lỗi đầu vào (có thông báo).",
)
