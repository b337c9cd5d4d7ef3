"""What admins read about a model being switched on (the models page shows `progress`
and `error` of the registry row)."""

from __future__ import annotations

SWITCHING = "Đang khởi động máy chủ cho mô hình mới; mô hình hiện tại vẫn đang phục vụ công dân."
FAILED = (
    "Không chuyển được sang mô hình này; mô hình cũ vẫn đang phục vụ công dân. Chi tiết: {detail}"
)
MISSING_FILE = "Không tìm thấy tệp mô hình {path}."
FILE_GONE = "Tệp mô hình không còn trên đĩa; đã dùng mô hình huấn luyện lại khi khởi động."
