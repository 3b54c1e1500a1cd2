"""Cộng Đồng Số: the platform for Vietnam's community digital technology teams."""
