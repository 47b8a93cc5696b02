"""Words people read: recruitments (措施7), 编制 pools (措施9), 县管乡用/县管校聘 rotations
and the grassroots-service ledger for 职称 (措施10) (zh-CN, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # navigation and titles
    "people.nav.recruitments": ("招聘引进", "Recruitment"),
    "people.nav.pools": ("编制", "Staffing posts"),
    "people.nav.rotations": ("县管乡用", "Rotations"),
    "people.recruitments.title": ("招聘引进（措施7）", "Recruitment (measure 7)"),
    "people.recruitments.intro": (
        "县市人社局录入本县市的招聘（引进）记录，州人社局审核；审核通过的记录按县市、年度计入"
        "措施7的两项目标（引进300名以上急需专业技术人才；引进20名以上事业单位硕士学位以上以及"
        "急需紧缺高层次人才），每条记录只计一次。",
        "A county's human-resources bureau enters its recruitments; the prefecture approves "
        "them. Approved records count once, by county and year, toward one of measure 7's "
        "two targets (300 or more urgently needed professionals; 20 or more with a master's "
        "degree or high-level talent).",
    ),
    "people.recruitment.title": ("招聘引进记录", "Recruitment record"),
    "people.pools.title": ("编制管理（编办）", "Staffing posts (establishment office)"),
    "people.pools.intro": (
        "编制专用、人走编收。每笔核准、使用、人走编收、预留周转、调剂都记入台账，余额由数据库保证"
        "不会小于零；州级高层次人才编制单独划定，不参与县市调剂。",
        "Posts are for their purpose and come back when the person leaves. Every approval, "
        "use, return, reservation and transfer is a movement of the ledger; the database "
        "keeps every balance at zero or above. The prefecture's high-level pool stands apart "
        "and is never transferred.",
    ),
    "people.pool.title": ("编制台账", "Staffing ledger"),
    "people.rotations.title": ("县管乡用 · 县管校聘", "County-managed rotations"),
    "people.rotations.intro": (
        "由县级主管部门统一管理、在本行政区域内基层单位统一调配使用、统一定期轮换的人员；每条记录"
        "同时显示在派出单位、服务单位和本人的基层服务台账上。",
        "People employed by a county unit and serving at a township unit or school for a "
        "term; each rotation shows on both units and on the person's service ledger.",
    ),
    "people.ledger.title": ("基层服务台账", "Grassroots-service ledger"),
    "people.ledger.intro": (
        "由已批准/进行中/已完成的对接、服务记录、县管乡用轮岗和招聘记录自动计算，不由人工填写；"
        "县市人社局可对某一时段确认或更正并说明理由（留痕）。",
        "Computed from approved, active and completed placements, service records, rotations "
        "and recruitments, never typed in; a county officer may confirm or correct a period "
        "with a reason (audited).",
    ),
    "people.ledger.rules": ("职称相关规则（措施10、措施4）", "Title rules (measures 10 and 4)"),
    "people.ledger.periods": ("基层服务时段", "Periods of grassroots service"),
    "people.ledger.total": (
        "累计基层服务 {days} 天（约 {years} 年）",
        "{days} days served (about {years} years)",
    ),
    "people.ledger.as_of": ("计算截至 {date}", "As of {date}"),
    "people.ledger.pdf": ("打印证明（PDF）", "Printable certificate (PDF)"),
    "people.ledger.xlsx": ("导出台账（XLSX）", "Export ledger (XLSX)"),
    "people.ledger.find": ("查看人员台账", "Open a person's ledger"),
    "people.ledger.review": ("确认或更正", "Confirm or correct"),
    "people.ledger.facts": ("职称评审所需信息", "Facts the title rules read"),
    "people.ledger.none": ("暂无基层服务记录。", "No grassroots service recorded."),
    "people.cert.title": ("基层服务经历证明", "Certificate of grassroots service"),
    "people.cert.body": (
        "兹证明 {name} 在乡镇及以下基层单位服务情况如下（由系统记录计算，截至 {date}）：",
        "{name} served at township level or below as follows"
        " (computed from the records, as of {date}):",
    ),
    "people.cert.issuer": ("楚雄州人才对接平台", "Rencai Match, Chuxiong"),
    "people.nav.ledger": ("基层服务台账", "Service ledger"),
    "people.target.measure_7.urgent_technicians": (
        "措施7：急需专业技术人才（300名以上）",
        "Measure 7: urgently needed professionals (300+)",
    ),
    "people.target.measure_7.high_level": (
        "措施7：硕士学位以上及急需紧缺高层次人才（20名以上）",
        "Measure 7: master's degree or high-level talent (20+)",
    ),
    "people.target.none": (
        "不计入措施7（非紧缺人才方式、非特设岗位，且非硕士以上/高层次）",
        "Not counted toward measure 7 (neither route nor degree qualifies)",
    ),
    "people.field.regular_graduate": ("普通高校毕业生", "Regular university graduate"),
    "people.field.graduated_on": ("毕业日期", "Graduated on"),
    "people.field.intermediate_since": ("取得中级职称日期", "Intermediate title since"),
    # fields
    "people.field.person": ("人员", "Person"),
    "people.field.talent_id": ("人员", "Person"),
    "people.field.county": ("县市", "County"),
    "people.field.township": ("乡镇", "Township"),
    "people.field.unit": ("单位", "Unit"),
    "people.field.post": ("岗位", "Post"),
    "people.field.post_kind": ("岗位类别", "Kind of post"),
    "people.field.route": ("招聘方式", "Route"),
    "people.field.post_grade": ("岗位等级", "Post grade"),
    "people.field.degree_level": ("学历", "Education"),
    "people.field.title_level": ("职称", "Title"),
    "people.field.licences": ("执业资格", "Licences"),
    "people.field.high_level": ("急需紧缺高层次人才", "High-level talent"),
    "people.field.matches_unit_series": (
        "符合本单位主要系列职称专业",
        "In the unit's main title series",
    ),
    "people.field.failed_open_years": (
        "同一岗位同一专业连续公开招聘未招到人的年数",
        "Consecutive years the same post went unfilled in open recruitment",
    ),
    "people.field.fresh_graduate": ("大中专毕业生", "New graduate"),
    "people.field.start_date": ("到岗日期", "Start date"),
    "people.field.ended_on": ("离岗日期", "Left on"),
    "people.field.term_assessment": ("服务期满考核", "End-of-term assessment"),
    "people.field.assessed_on": ("考核日期", "Assessed on"),
    "people.field.note": ("备注", "Note"),
    "people.field.status": ("状态", "Status"),
    "people.field.target": ("计入目标", "Counts toward"),
    "people.field.subsidies": ("适用补贴", "Subsidies that apply"),
    "people.field.eligibility": ("紧缺人才方式条件", "Shortage-route conditions"),
    "people.field.sector": ("编制类别", "Kind of posts"),
    "people.field.pool": ("编制池", "Pool"),
    "people.field.name": ("名称", "Name"),
    "people.field.approved_total": ("核准总量", "Approved total"),
    "people.field.available": ("可用", "Available"),
    "people.field.reserved": ("预留周转", "Held for turnover"),
    "people.field.in_use": ("已使用", "In use"),
    "people.field.kind": ("类别", "Kind"),
    "people.field.quantity": ("数量", "Number"),
    "people.field.on_date": ("日期", "Date"),
    "people.field.reason": ("理由", "Reason"),
    "people.field.counterpart": ("对方编制池", "Other pool"),
    "people.field.recruitment": ("招聘记录", "Recruitment"),
    "people.field.returns": ("收回的使用记录", "Use returned"),
    "people.field.balance_after": ("变动后 可用/预留/总量", "After: available / held / total"),
    "people.field.actor": ("经办人", "By"),
    "people.field.employer_unit": ("派出单位（县级）", "Employing county unit"),
    "people.field.host_unit": ("服务单位（乡镇/学校）", "Serving at (township unit or school)"),
    "people.field.host_township": ("服务乡镇", "Township served"),
    "people.field.starts_on": ("开始日期", "Starts"),
    "people.field.ends_on": ("结束日期", "Ends"),
    "people.field.source": ("来源", "Source"),
    "people.field.place": ("地点", "Place"),
    "people.field.days": ("天数", "Days"),
    "people.field.poverty": ("贫困乡镇", "Poverty township"),
    "people.field.altitude": ("海拔（米）", "Altitude (m)"),
    "people.field.review": ("核实", "Checked"),
    "people.field.decision": ("核实结果", "Decision"),
    "people.field.series": ("专业系列", "Series"),
    "people.field.unit_filter": ("按单位查看", "By unit"),
    "people.submit": ("提交", "Submit"),
    "people.save": ("保存", "Save"),
    "people.saved": ("已保存。", "Saved."),
    "people.approve": ("通过", "Approve"),
    "people.return": ("退回", "Return"),
    "people.none": ("暂无记录。", "Nothing yet."),
    "people.yes": ("是", "yes"),
    "people.no": ("否", "no"),
    "people.new": ("新增", "New"),
    "people.prefecture": ("州级", "Prefecture"),
    "people.rotation.employer_side": ("派出", "sent from"),
    "people.rotation.host_side": ("服务于", "serving at"),
    "people.met": ("符合", "met"),
    "people.not_met": ("不符合", "not met"),
    "people.not_applicable": ("不适用", "does not apply"),
    # routes, kinds, levels
    "people.route.shortage": ("按紧缺人才方式招聘（引进）", "shortage-talent route"),
    "people.route.special_post": ("特设岗位", "special post"),
    "people.route.open": ("公开招聘", "open recruitment"),
    "people.route.sanzhi_yifu": ("三支一扶", "Three Supports and One Assistance"),
    "people.route.special_teacher": ("农村特岗教师", "rural special-post teacher"),
    "people.route.west_plan": ("志愿服务西部计划", "Western volunteer plan"),
    "people.route.gp_special": ("全科医生特设岗位", "general-practitioner special post"),
    "people.post.high_school_teacher": ("高中教师", "high-school teacher"),
    "people.post.vocational_teacher": ("职业中学教师", "vocational-school teacher"),
    "people.post.bilingual_teacher": ("双语教师", "bilingual teacher"),
    "people.post.medical_technical": ("医疗机构医技岗位", "medical or technical post in a clinic"),
    "people.post.culture_performance": (
        "舞台表演、编剧、播音、主持岗位",
        "stage, script, broadcasting or presenting post",
    ),
    "people.post.other": ("其他专业技术岗位", "other professional post"),
    "people.grade": ("专业技术{n}级", "professional grade {n}"),
    "people.grade.8": ("专业技术八级", "professional grade 8"),
    "people.grade.9": ("专业技术九级", "professional grade 9"),
    "people.grade.10": ("专业技术十级", "professional grade 10"),
    "people.grade.11": ("专业技术十一级", "professional grade 11"),
    "people.grade.12": ("专业技术十二级", "professional grade 12"),
    "people.grade.13": ("专业技术十三级", "professional grade 13"),
    "people.degree.0": ("高中及以下", "high school or below"),
    "people.degree.1": ("中专", "secondary vocational"),
    "people.degree.2": ("大专", "junior college"),
    "people.degree.3": ("本科", "bachelor"),
    "people.degree.4": ("硕士", "master"),
    "people.degree.5": ("博士", "doctorate"),
    "people.title.0": ("无职称", "no title"),
    "people.title.1": ("员级", "technician grade"),
    "people.title.2": ("助理/初级", "assistant or junior"),
    "people.title.3": ("中级", "intermediate"),
    "people.title.4": ("副高级", "associate senior"),
    "people.title.5": ("正高级", "full senior"),
    "people.licence.practising_physician": ("执业医师", "practising physician"),
    "people.licence.assistant_physician": ("执业助理医师", "assistant practising physician"),
    "people.licence.nurse": ("护士执业资格", "registered nurse"),
    "people.licence.village_doctor": ("乡村医生执业证书", "village doctor"),
    "people.licence.pharmacist": ("执业药师", "licensed pharmacist"),
    "people.licence.teacher": ("教师资格", "teacher qualification"),
    "people.licence.veterinarian": ("执业兽医", "licensed veterinarian"),
    "people.licence.village_vet": ("乡村兽医", "village veterinarian"),
    "people.licence.social_worker": ("社会工作者职业资格", "social worker"),
    "people.licence.elderly_carer": ("养老护理员职业技能等级", "elderly carer"),
    "people.licence.agri_technician_skill": ("农业技术员职业技能等级", "agricultural technician"),
    "people.licence.none": ("无执业资格", "no licence"),
    "people.assessment.pending": ("未考核", "not yet assessed"),
    "people.assessment.excellent": ("优秀", "excellent"),
    "people.assessment.qualified": ("合格", "qualified"),
    "people.assessment.basic": ("基本合格", "basically qualified"),
    "people.assessment.unqualified": ("不合格", "unqualified"),
    "people.series.education": ("中小学教师", "school teacher"),
    "people.series.health": ("卫生", "health"),
    "people.series.agri_tech": ("农业科技", "agricultural science"),
    "people.series.other": ("其他", "other"),
    "people.sector.talent": ("引进人才专用事业编制", "posts reserved for recruited talent"),
    "people.sector.high_level": (
        "州级高层次人才事业编制",
        "prefecture posts for high-level talent",
    ),
    "people.sector.school": ("中小学教职工编制", "primary and secondary school staff posts"),
    "people.sector.health": ("卫生事业编制", "health posts"),
    "people.movement.approve": ("核准", "approved"),
    "people.movement.use": ("使用", "used"),
    "people.movement.use_school": ("使用报备", "use reported"),
    "people.movement.return": ("人走编收", "returned (person left)"),
    "people.movement.reserve": ("预留周转", "held for turnover"),
    "people.movement.release": ("周转释放", "released from turnover"),
    "people.movement.transfer_out": ("调剂调出", "transferred out"),
    "people.movement.transfer_in": ("调剂调入", "transferred in"),
    "people.rotation.township": ("县管乡用", "county-managed, township-used"),
    "people.rotation.school": ("县管校聘", "county-managed, school-appointed"),
    "people.decision.confirm": ("确认", "confirmed"),
    "people.decision.correct": ("更正", "corrected"),
    "people.decision.exclude": ("不计入", "excluded"),
    "people.source.placement": ("对接（长期驻点）", "placement (long)"),
    "people.source.record": ("服务记录", "service record"),
    "people.source.rotation": ("县管乡用/县管校聘", "rotation"),
    "people.source.recruitment": ("招聘引进", "recruitment"),
    # rules
    "people.rule.shortage_teacher": (
        "学校招聘高中教师、职业中学教师、双语教师岗位，本科以上学历",
        "School post for high-school, vocational or bilingual teachers, bachelor or above",
    ),
    "people.rule.shortage_medical": (
        "医疗机构医技岗位，本科以上学历或执业医师（25个贫困乡镇放宽到执业助理医师）",
        "Clinic medical post: bachelor or practising physician"
        " (assistant physician in the 25 poverty townships)",
    ),
    "people.rule.shortage_culture": (
        "宣传文化单位舞台表演、编剧、播音、主持岗位",
        "Culture unit post for stage, script, broadcasting or presenting",
    ),
    "people.rule.shortage_master_or_intermediate": (
        "县乡招聘硕士研究生及以上学历或中级及以上职称，并符合本单位主要系列职称专业",
        "Master's or above, or an intermediate title or above, in the unit's main series",
    ),
    "people.rule.shortage_poverty_bachelor": (
        "25个贫困乡镇事业单位招聘大学本科及以上学历，并符合本单位主要系列职称专业",
        "Poverty-township unit recruiting a bachelor or above in the unit's main series",
    ),
    "people.rule.shortage_two_years": (
        "同一岗位同一专业连续两年参加统一组织公开招聘但未招聘到人员",
        "The same post and specialty went unfilled in open recruitment two years running",
    ),
    "people.rule.township_allowance": ("乡镇工作补贴", "Township work allowance"),
    "people.rule.hardship_allowance": ("艰苦边远地区津贴", "Hardship-area allowance"),
    "people.rule.altitude_seniority": ("高海拔地区折算工龄补贴", "High-altitude seniority credit"),
    "people.rule.early_regular": (
        "大中专毕业生到艰苦贫困地区工作提前转正定级并高定工资",
        "New graduates in hardship areas: early confirmation and a higher starting salary",
    ),
    "people.rule.senior_service": (
        "晋升高级职称须有1年以上农村基层工作服务经历（中小学教师、卫生）",
        "Senior titles need 1 year or more of rural grassroots service (teachers, health)",
    ),
    "people.rule.early_first_title": (
        "到乡镇及以下工作的普通高校毕业生，首次申报评审职称可提前1年",
        "Graduates working at township level or below may apply"
        " for their first title one year early",
    ),
    "people.rule.grassroots_associate_senior": (
        "取得中级职称后连续在乡镇基层工作满10年，可考核认定为基层有效的副高级职称",
        "10 continuous township years since the intermediate title: grassroots associate senior",
    ),
    "people.rule.term_priority": (
        "服务期满考核等次为合格及以上，可优先享受所属项目优惠政策",
        "Term assessed qualified or better: priority for the programme's benefits",
    ),
    # reasons
    "people.why.teacher": (
        "岗位：{post}；学历：{degree}（要求本科以上）",
        "Post: {post}; education: {degree} (bachelor or above required)",
    ),
    "people.why.culture": ("岗位：{post}", "Post: {post}"),
    "people.why.medical": (
        "学历：{degree}；执业资格：{held}（要求本科以上或执业医师；{place} 不是25个贫困乡镇之一）",
        "Education: {degree}; licences: {held} (bachelor or practising physician"
        " required; {place} is not one of the 25 poverty townships)",
    ),
    "people.why.medical_poverty": (
        "学历：{degree}；执业资格：{held}（{place} 是25个贫困乡镇之一，执业助理医师即可）",
        "Education: {degree}; licences: {held} ({place} is a poverty"
        " township: an assistant physician suffices)",
    ),
    "people.why.master_or_intermediate": (
        "学历：{degree}；职称：{title}；符合本单位主要系列职称专业：{series}",
        "Education: {degree}; title: {title}; in the unit's main series: {series}",
    ),
    "people.why.poverty_bachelor": (
        "{place} 是贫困乡镇：{poverty}；学历：{degree}；符合本单位主要系列职称专业：{series}",
        "{place} is a poverty township: {poverty}; education:"
        " {degree}; in the unit's main series: {series}",
    ),
    "people.why.two_years": (
        "连续未招到人的年数：{years}（要求连续两年）",
        "Consecutive unfilled years: {years} (two required)",
    ),
    "people.sub.not_grassroots": (
        "招聘方式为“{route}”，不属于措施7的基层人才招聘（引进）",
        "Route “{route}” is not measure 7's grassroots recruitment",
    ),
    "people.sub.township": ("在 {place} 的乡镇单位工作", "Works at a township unit in {place}"),
    "people.sub.county": (
        "{place} 的县级单位，不在乡镇",
        "A county-level unit in {place}, not a township",
    ),
    "people.sub.hardship_township": (
        "{place} 是25个贫困乡镇之一",
        "{place} is one of the 25 poverty townships",
    ),
    "people.sub.hardship_county": ("{place} 所在县为贫困县", "{place} is in a poverty county"),
    "people.sub.hardship_none": (
        "{place} 既非贫困县也非贫困乡镇",
        "{place} is neither a poverty county nor a poverty township",
    ),
    "people.sub.altitude": (
        "{place} 海拔 {altitude} 米（标准：{threshold} 米及以上）",
        "{place} lies at {altitude} m (rule: {threshold} m or higher)",
    ),
    "people.sub.early_regular": (
        "大中专毕业生：{graduate}；在贫困县或贫困乡镇：{hardship}",
        "New graduate: {graduate}; in a poverty county or township: {hardship}",
    ),
    "people.why.senior_service": (
        "累计基层服务 {days} 天（要求 {need} 天即1年）；满1年之日：{on}",
        "{days} days of grassroots service ({need} days, one year, required); reached on {on}",
    ),
    "people.why.senior_series": (
        "专业系列为“{series}”：该要求针对中小学教师、卫生等重点领域",
        "Series “{series}”: the requirement is stated for teachers and health workers",
    ),
    "people.why.early_first_title": (
        "普通高校毕业生：{graduate}（毕业 {graduated_on}）；现有职称：{title}；"
        "{as_of} 在乡镇及以下工作：{now}",
        "Regular university graduate: {graduate} (graduated {graduated_on}); current"
        " title: {title}; at township level or below on {as_of}: {now}",
    ),
    "people.why.no_intermediate": (
        "现有职称为“{title}”，规则针对中级职称人员",
        "Current title “{title}”: the rule is for intermediate-title holders",
    ),
    "people.why.continuous": (
        "中级职称取得于 {since}；其后最长连续乡镇服务 {start} 至 {end}，"
        "约 {years} 年（要求满 {need} 年）",
        "Intermediate title since {since}; longest unbroken township service since"
        " then {start} to {end}, about {years} years ({need} required)",
    ),
    "people.why.gap_breaks": (
        "服务中有间断：间断前后的时段不连续计算",
        "There is a gap in service: periods on either side of it are not added together",
    ),
    "people.why.series_not_scarce": (
        "专业系列为“{series}”，规则针对教育、卫生、农业科技等紧缺专业",
        "Series “{series}”: the rule is for education, health and agricultural science",
    ),
    "people.why.no_term": ("无服务期项目记录", "No programme with a service term"),
    "people.why.term": (
        "{route}：服务期满考核“{result}”（{on}）",
        "{route}: end-of-term assessment “{result}” ({on})",
    ),
    # errors
    "people.err.special_post_township": (
        "特设岗位仅用于乡镇事业单位：请选择乡镇",
        "A special post is for township institutions: choose the township",
    ),
    "people.err.special_post_degree": (
        "特设岗位用于引进硕士学位以上或急需紧缺高层次人才；本人学历：{degree}",
        "A special post is for a master's degree or above or"
        " high-level talent; education: {degree}",
    ),
    "people.err.shortage": (
        "不符合按紧缺人才方式招聘（引进）的任一条件：{reasons}",
        "Meets none of the shortage-route conditions: {reasons}",
    ),
}
