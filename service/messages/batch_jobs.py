"""Words people read: batch runs as background jobs (preview, confirmation, progress,
cancellation, the XLSX report) and the to-do items added with them (zh-CN, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # statuses and phases
    "runs.status.queued": ("排队中", "Queued"),
    "runs.status.cancelled": ("已取消", "Cancelled"),
    "todo.run_status.queued": ("排队中", "queued"),
    "todo.run_status.cancelled": ("已取消", "cancelled"),
    "batchjob.phase.candidates": ("正在查找候选人才", "Finding candidates"),
    "batchjob.phase.solve": ("正在计算最佳安排", "Working out the best placements"),
    "batchjob.phase.report": ("正在分析未满足的需求", "Explaining the unfilled needs"),
    "batchjob.phase.check": ("正在核对预览后的变化", "Checking what changed since the preview"),
    "batchjob.phase.write": ("正在保存", "Saving"),
    "batchjob.phase.done": ("已完成", "Done"),
    "batchjob.progress": ("进度", "Progress"),
    "batchjob.waiting": (
        "等待后台任务开始……本页每 2 秒自动刷新。",
        "Waiting for the background job to start… this page refreshes every 2 seconds.",
    ),
    "batchjob.refreshing": ("本页每 2 秒自动刷新。", "This page refreshes every 2 seconds."),
    "batchjob.cancel": ("取消运行", "Cancel the run"),
    "batchjob.cancel_asked": (
        "已请求取消，正在停止……",
        "Cancellation asked for; the run is stopping…",
    ),
    "batchjob.cancelled": (
        "匹配已取消，未保存任何结果（批次 {run}）。",
        "The run was cancelled and nothing was saved (run {run}).",
    ),
    "batchjob.world_changed": (
        "自预览以来有 {n} 项安排的情况已变化，为避免写入过时的安排，本次确认未保存任何结果。"
        "请重新预览后再确认。",
        "{n} of the preview's placements changed since the preview, so this confirmation "
        "saved nothing rather than write stale placements. Preview again, then confirm.",
    ),
    "batchjob.change.need_not_open": (
        "需求已不再征集（现为：{status}）",
        "the need no longer takes people (now: {status})",
    ),
    "batchjob.change.need_changed": (
        "该需求在预览后有新的对接、决定或修改",
        "the need has new matches, decisions or edits since the preview",
    ),
    "batchjob.change.talent_changed": (
        "该人才在预览后有新的对接、决定或资料修改",
        "the talent has new matches, decisions or profile edits since the preview",
    ),
    "batchjob.change.gone": ("已删除", "deleted"),
    "batchjob.changes": ("预览后已变化的安排", "Placements that changed since the preview"),
    # preview and confirmation
    "runs.preview": (
        "先预览（列出拟安排，不写入）",
        "Preview first (list the placements, write nothing)",
    ),
    "batchjob.preview_title": (
        "拟安排（预览，尚未写入）",
        "Proposed placements (preview, not written)",
    ),
    "batchjob.preview_none": ("预览没有可安排的人选。", "The preview proposes no placements."),
    "batchjob.confirm": ("确认并写入这 {n} 项安排", "Confirm and write these {n} placements"),
    "batchjob.confirm_hint": (
        "确认后将按上表生成对接推荐并通知相关人才；若预览后情况有变，将不写入并说明原因。",
        "Confirming writes exactly the placements above as proposals and tells the talents; "
        "if anything changed since the preview, nothing is written and you are told why.",
    ),
    "batchjob.confirmed_by": ("已由以下运行确认：", "Confirmed by the run:"),
    "batchjob.confirms": ("本次运行确认了预览：", "This run confirms the preview:"),
    "batchjob.open_run": ("查看", "open"),
    "batchjob.need": ("需求", "Need"),
    "batchjob.site": ("单位", "Site"),
    "batchjob.talent": ("人才", "Talent"),
    "batchjob.score": ("匹配度", "Score"),
    "batchjob.download": ("下载报告（Excel）", "Download the report (Excel)"),
    # the XLSX report
    "batchjob.xlsx.summary": ("概况", "Summary"),
    "batchjob.xlsx.placements": ("安排", "Placements"),
    "batchjob.xlsx.unfilled": ("未满足的需求", "Unfilled needs"),
    "batchjob.xlsx.changes": ("变化", "Changes"),
    "batchjob.xlsx.item": ("项目", "Item"),
    "batchjob.xlsx.value": ("内容", "Value"),
    "batchjob.xlsx.scope": ("范围", "Scope"),
    "batchjob.xlsx.status": ("状态", "Status"),
    "batchjob.xlsx.kind": ("类型", "Kind"),
    "batchjob.xlsx.kind_preview": ("预览（未写入）", "Preview (nothing written)"),
    "batchjob.xlsx.kind_run": ("正式运行", "Run (written)"),
    "batchjob.xlsx.county": ("县市", "County"),
    "batchjob.xlsx.missing": ("缺额", "Short by"),
    "batchjob.xlsx.headcount": ("需求人数", "Headcount"),
    "batchjob.xlsx.commonest": ("最常见的不符条件", "Commonest failed condition"),
    "batchjob.xlsx.error": ("说明", "Explanation"),
    "batchjob.xlsx.proposed": ("已写入的推荐", "Proposals written"),
    "batchjob.xlsx.priority": ("倾斜地区安排占比", "Share of placements in priority areas"),
    "runs.reason_other": ("其他原因", "Other reason"),
    # to-do items
    "todo.coordinator.entries": ("待审核的填报", "Entries to approve"),
    "todo.admin.failed_delivery": ("发送失败的通知", "Notifications that failed to send"),
}
