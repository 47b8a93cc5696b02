"""Words people read: long placements, categories and expiry (zh-CN, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "need_status.expired": ("已过期", "Expired"),
    "need.required_categories": ("需要的人才类别", "Talent categories required"),
    "need.required_categories.hint": (
        "不选表示不限；选了则只推荐这些类别的人才",
        "Leave all unticked for any category; ticked ones limit the candidates to them",
    ),
}
