"""Words people read: county targets and the ledger (zh-CN, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "county_targets.title": ("任务分解（县市目标）", "County targets (任务分解)"),
    "county_targets.intro": (
        "州级协调员按年度把每项目标分解到各县市；县市的进度按本县市的目标计算。",
        "The prefecture splits each target among the counties per year; a county's progress "
        "is measured against its own target.",
    ),
    "county_targets.save": ("保存", "Save"),
    "county_targets.import": ("导入表格（CSV/XLSX）", "Import the grid (CSV/XLSX)"),
    "progress.county_target": ("县市目标", "County target"),
    "progress.matches": ("对接", "Matches"),
    "progress.entries": ("录入", "Entries"),
    "progress.key": ("目标键", "Key"),
    "progress.unknown_county": (
        "没有这个县市。请从列表中选择一个县市，或选择“全州”。",
        "There is no such county. Choose a county from the list, or the whole prefecture.",
    ),
}
