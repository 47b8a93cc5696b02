"""Words people read: ledger entries (hand-counted targets) (zh-CN, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.entries": ("填报", "Entries"),
    "entries.title": ("人工统计目标填报", "Entries for hand-counted targets"),
    "entries.intro": (
        "不按人才对接统计的目标（新型职业农民、工作站、“三区”人才、研修班、编制等）在此填报；"
        "州级审核批准后计入目标进度。已批准的数据不能修改，更正请提交冲正。",
        "Targets not counted from matches (new farmers, workstations, 三区 talents, "
        "seminars, staffing …) are entered here and count once the prefecture approves "
        "them. An approved entry never changes: correct it with a reversing entry.",
    ),
    "entries.new": ("新增填报", "New entry"),
    "entries.target": ("目标", "Target"),
    "entries.year": ("年度", "Year"),
    "entries.value": ("数值", "Value"),
    "entries.value_hint": (
        "按目标的单位填写整数（如：名、个、户）",
        "A whole number in the target's unit (people, stations, households …)",
    ),
    "entries.note": ("说明", "Note"),
    "entries.note_hint": (
        "数据来源、名单或文件名等",
        "Where the figure comes from: a list, a document",
    ),
    "entries.evidence": ("证明材料", "Evidence"),
    "entries.evidence_hint": (
        "可选；PDF、PNG、JPEG 或 XLSX，不超过 {mb} MB",
        "Optional; PDF, PNG, JPEG or XLSX, at most {mb} MB",
    ),
    "entries.evidence_upload": ("上传证明材料", "Upload evidence"),
    "entries.evidence_download": ("下载证明材料", "Download evidence"),
    "entries.submit": ("提交审核", "Submit for approval"),
    "entries.list": ("填报记录", "Entries"),
    "entries.none": ("暂无填报", "No entries yet"),
    "entries.status": ("状态", "Status"),
    "entries.status.submitted": ("待审核", "Awaiting approval"),
    "entries.status.approved": ("已批准", "Approved"),
    "entries.status.returned": ("已退回", "Returned"),
    "entries.entered_by": ("填报人", "Entered by"),
    "entries.decided_by": ("审核人", "Decided by"),
    "entries.open": ("查看", "Open"),
    "entries.created": ("已提交，等待州级审核", "Submitted; awaiting the prefecture's approval"),
    "entries.detail.title": ("填报 #{id}", "Entry #{id}"),
    "entries.review.title": ("填报审核", "Review entries"),
    "entries.review.intro": (
        "按提交先后排列；不能审核本人填报的数据。",
        "Oldest first; nobody decides an entry they entered.",
    ),
    "entries.review.empty": ("没有待审核的填报", "Nothing awaits approval"),
    "entries.review.done": ("已处理", "Done"),
    "entries.decide": ("审核", "Decide"),
    "entries.approve": ("批准", "Approve"),
    "entries.return": ("退回", "Return"),
    "entries.return_reason": ("退回原因", "Reason for returning"),
    "entries.own_entry": (
        "本人填报，需由其他州级协调员或管理员审核",
        "You entered this; another prefecture coordinator or an admin decides it",
    ),
    "entries.resubmit": ("修改后重新提交", "Correct and resubmit"),
    "entries.reverse": ("冲正更正", "Correct by a reversing entry"),
    "entries.reverse_hint": (
        "填写更正后的数值；批准后以新数值替换本条数值（本条仍保留）。",
        "Give the corrected figure; once approved it replaces this entry's figure (this "
        "entry stays on record).",
    ),
    "entries.corrected_value": ("更正后的数值", "Corrected value"),
    "entries.reverses": ("冲正", "Reverses"),
    "entries.reversal_of": ("冲正 #{id}", "Reverses #{id}"),
    "entries.reversal_explained": (
        "批准后按本条数值减去被冲正数值计入",
        "Once approved it counts as its value minus the reversed entry's value",
    ),
    "entries.trail": ("操作记录", "Audit trail"),
    "entries.action.entry.submitted": ("提交", "Submitted"),
    "entries.action.entry.reversal_submitted": ("提交冲正", "Reversal submitted"),
    "entries.action.entry.resubmitted": ("修改后重新提交", "Corrected and resubmitted"),
    "entries.action.entry.approved": ("批准", "Approved"),
    "entries.action.entry.returned": ("退回", "Returned"),
    "entries.action.entry.evidence_attached": ("上传证明材料", "Evidence attached"),
}
