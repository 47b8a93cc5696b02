"""Words people read: registers and trainings (zh-CN, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "ledger.kind.workstation": (
        "院士专家工作站/专家基层科研工作站",
        "Academician/expert workstation",
    ),
    "ledger.kind.star_space": ("星创天地", "Star innovation space"),
    "ledger.kind.agri_entity": (
        "新型农业经营主体/农业创业企业",
        "New agricultural business / agri start-up",
    ),
    "ledger.kind.flexible_base": (
        "柔性引才基地/“候鸟型”人才工作站",
        'Flexible talent base / "migratory" talent station',
    ),
    "ledger.kind.eldercare_base": ("养老服务实训基地", "Elderly-care training base"),
    "ledger.status.submitted": ("待审核", "Submitted"),
    "ledger.status.approved": ("已通过", "Approved"),
    "ledger.status.returned": ("已退回", "Returned"),
    "ledger.target.measure_5.new_farmers": ("培养新型职业农民", "New professional farmers"),
    "ledger.target.measure_5.rural_professionals": (
        "培育农村专业人才（一村一幼师、一村一医生等）",
        "Rural professionals trained (a teacher / a doctor per village …)",
    ),
    "ledger.target.measure_10.seminar": ("高层次人才州情研修班", "High-level talent seminar"),
    "ledger.no_target": ("登记，不计目标数", "Registered, no target figure"),
    "ledger.registers.title": ("平台与主体登记", "Registers"),
    "ledger.registers.intro": (
        "县市协调员登记本县市新建的工作站、星创天地、经营主体、引才基地和实训基地；"
        "州级协调员审核通过后按成立日期所在年度计入目标。",
        "County coordinators register new workstations, innovation spaces, agricultural "
        "businesses, talent bases and training bases; once the prefecture approves, each "
        "counts toward its target in the year it was founded.",
    ),
    "ledger.trainings.title": ("培训登记", "Trainings"),
    "ledger.trainings.intro": (
        "培训经州级协调员审核通过后，参训人数按开班年度计入目标。",
        "Once the prefecture approves a training, its participants count toward its "
        "target in the year it starts.",
    ),
    "ledger.new": ("新增登记", "New entry"),
    "ledger.filter": ("筛选", "Filter"),
    "ledger.all": ("全部", "All"),
    "ledger.none": ("暂无记录", "Nothing here yet"),
    "ledger.field.kind": ("类别", "Kind"),
    "ledger.field.name": ("名称", "Name"),
    "ledger.field.county": ("县市", "County"),
    "ledger.field.township": ("乡镇（可选）", "Township (optional)"),
    "ledger.field.founded_on": ("成立日期", "Founded on"),
    "ledger.field.lead_unit": ("牵头单位", "Lead unit"),
    "ledger.field.note": ("备注", "Note"),
    "ledger.field.status": ("状态", "Status"),
    "ledger.field.year": ("年度", "Year"),
    "ledger.field.target": ("计入目标", "Counts toward"),
    "ledger.field.title": ("培训名称", "Title"),
    "ledger.field.starts_on": ("开始日期", "Starts on"),
    "ledger.field.ends_on": ("结束日期", "Ends on"),
    "ledger.field.organiser": ("主办单位", "Organiser"),
    "ledger.field.participants": ("参训人数", "Participants"),
    "ledger.field.names": (
        "参训人员名单（每行一人，可选）",
        "Participants' names (one a line, optional)",
    ),
    "ledger.field.reason": ("退回原因", "Reason for returning"),
    "ledger.field.entered_by": ("录入人", "Entered by"),
    "ledger.field.records": ("服务记录", "Service records"),
    "ledger.submit": ("提交审核", "Submit for review"),
    "ledger.approve": ("通过", "Approve"),
    "ledger.return": ("退回", "Return"),
    "ledger.saved": ("已提交，等待州级审核。", "Submitted for the prefecture's review."),
    "ledger.decided": ("已审核。", "Decision recorded."),
    "ledger.confirm.title": (
        "确认服务记录中的培训人数",
        "Confirm people trained in service records",
    ),
    "ledger.confirm.intro": (
        "把该县市该年度尚未确认的服务记录中的培训人数，计入“培养新型职业农民”（每条记录只能确认一次）。",
        "Roll the people trained in the county's unconfirmed service records of the year "
        'into "new professional farmers" (each record can be confirmed once).',
    ),
    "ledger.confirm.submit": ("确认并提交审核", "Confirm and submit for review"),
    "nav.registers": ("平台登记", "Registers"),
    "nav.trainings": ("培训登记", "Trainings"),
}
