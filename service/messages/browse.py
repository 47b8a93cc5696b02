"""Words people read: searching and browsing needs, why-not by name, the admin's user
and import pages, and the progress charts and map (zh-CN, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # needs search and browse
    "browse.needs_title": ("浏览需求", "Browse needs"),
    "browse.nav": ("浏览需求", "Browse needs"),
    "browse.q": ("关键词", "Keywords"),
    "browse.q_hint": ("标题、单位或技能", "Title, site or skill"),
    "browse.filters": ("更多筛选", "More filters"),
    "browse.township": ("乡镇", "Township"),
    "browse.programme": ("项目条线", "Programme line"),
    "browse.mode": ("服务方式", "Service mode"),
    "browse.from": ("开始不早于", "Starting on or after"),
    "browse.to": ("结束不晚于", "Ending on or before"),
    "browse.bad_date": (
        "“{value}”不是日期，应为 年-月-日",
        "“{value}” is not a date (year-month-day)",
    ),
    "browse.only_fits": ("只看符合我条件的", "Only needs I qualify for"),
    "browse.clear": ("清除筛选", "Clear filters"),
    "browse.searched": ("关键词“{q}”", "matching “{q}”"),
    "browse.none": (
        "没有符合条件的需求，请换个关键词或放宽筛选。",
        "No need matches; try other words or fewer filters.",
    ),
    "browse.fits": ("符合您的条件", "You qualify"),
    "browse.not_fits": ("有条件不符", "A requirement is not met"),
    "browse.see_why": ("查看原因", "See why"),
    "browse.pages": ("分页", "Pages"),
    "browse.prev": ("上一页", "Previous"),
    "browse.next": ("下一页", "Next"),
    "browse.need_status.open": ("征集中", "Open"),
    "browse.need_status.filled": ("已满员", "Filled"),
    "browse.need_status.closed": ("已关闭", "Closed"),
    "browse.need_status.expired": ("已过期", "Expired"),
    # why-not by name
    "browse.whynot.ask": ("查询某位人才为何（不）合适", "Ask why a talent does (not) fit"),
    "browse.whynot.placeholder": ("输入人才姓名", "Type a talent's name"),
    "browse.whynot.enter_name": ("请输入人才姓名。", "Type a talent's name."),
    "browse.whynot.no_such_name": (
        "没有找到姓名含“{name}”且可查询的人才。可查询的是本需求的推荐人选和已对接的人才。",
        "No talent named “{name}” that you may ask about: the candidates of this need "
        "and the talents matched with it.",
    ),
    "browse.whynot.choose": (
        "有多位人才姓名含“{name}”，请选择：",
        "Several talents are named “{name}”; choose one:",
    ),
    # admin: users
    "users.state": ("状态", "State"),
    "users.active": ("启用", "Active"),
    "users.inactive": ("已停用", "Deactivated"),
    "users.must_change": ("待改密码", "Must change password"),
    "users.edit": ("修改资料", "Edit details"),
    "users.edit_title": ("用户：{name}", "User: {name}"),
    "users.access": ("登录与密码", "Sign-in and password"),
    "users.deactivate": ("停用账号", "Deactivate"),
    "users.deactivate.hint": (
        "停用后不能登录，已登录的设备立即退出。",
        "They cannot sign in, and every signed-in device is signed out at once.",
    ),
    "users.reactivate": ("重新启用账号", "Reactivate"),
    "users.reset": ("重置密码", "Reset the password"),
    "users.reset.explain": (
        "生成一个临时密码，用户下次登录时必须修改。",
        "Makes a temporary password the user must change at the next sign-in.",
    ),
    "users.reset.done": (
        "已为 {name} 重置密码。临时密码（只显示这一次，请当面或电话告知本人）：",
        "The password of {name} is reset. The temporary password (shown this once; "
        "tell them in person or by phone):",
    ),
    "users.reset.hint": (
        "对方用它登录后，系统会要求其设置新密码。",
        "After signing in with it they are asked to choose a new password.",
    ),
    "users.done.created": (
        "已创建用户 {name}（用户名 {username}）。",
        "User {name} ({username}) created.",
    ),
    "users.done.updated": ("已保存 {name} 的资料。", "The details of {name} are saved."),
    "users.done.deactivated": (
        "已停用 {name}：不能再登录，已登录的设备已退出。",
        "{name} is deactivated: they cannot sign in and are signed out everywhere.",
    ),
    "users.done.reactivated": ("已重新启用 {name}。", "{name} is active again."),
    "users.link.hint": (
        "基层单位工作人员须关联一个单位，人才须关联一份人才档案：输入名称查找后选择。",
        "Site staff are linked to a site, a talent to a talent profile: "
        "search by name, then choose.",
    ),
    "users.link.site": ("关联单位（基层单位工作人员）", "Linked site (site staff)"),
    "users.link.talent": ("关联人才档案（人才）", "Linked talent profile (talent)"),
    "users.link.search_site": ("输入单位名称", "Type the site's name"),
    "users.link.search_talent": ("输入人才姓名", "Type the talent's name"),
    "users.link.find": ("查找", "Find"),
    "users.link.pick": ("请选择", "Choose one"),
    "users.link.chosen": ("已选：", "Chosen: "),
    "users.link.none": ("没有名称含“{q}”的记录。", "Nothing named “{q}”."),
    "users.link.required_site": (
        "基层单位工作人员须关联一个单位：请查找并选择。",
        "Site staff need a site: search and choose one.",
    ),
    "users.link.required_talent": (
        "人才账号须关联一份人才档案：请查找并选择。",
        "A talent account needs a talent profile: search and choose one.",
    ),
    "account.must_change": (
        "管理员已重置您的密码。请设置一个只有您知道的新密码后继续。",
        "An administrator reset your password. Choose a new one only you know to go on.",
    ),
    # admin: import templates
    "import.templates": ("导入模板", "Import templates"),
    "import.templates.hint": (
        "下载模板，保留表头，把示例行换成自己的数据。先导入单位，再导入其需求。",
        "Download a template, keep its header row and replace the example rows. "
        "Import sites before their needs.",
    ),
    "import.template.xlsx": ("Excel 模板", "Excel template"),
    "import.template.csv": ("CSV 模板", "CSV template"),
    # progress charts and the map
    "browse.progress.heading": ("{area} {year} 年目标进度", "Target progress: {area}, {year}"),
    "browse.progress.area_note": (
        "以下数字只统计{area}、{year} 年。",
        "The figures below cover {area} in {year} only.",
    ),
    "browse.progress.stated_twice": (
        "（方案中 {n} 处提到，只计一次）",
        "(stated {n} times in the plan, counted once)",
    ),
    "browse.map.legend": ("图例", "Legend"),
    "browse.map.county": (
        "县城：颜色越深，开放需求越多；圆越大，已对接越多",
        "County seat: darker means more open needs; larger means more placements",
    ),
    "browse.map.township_open": ("有开放需求的乡镇", "Township with open needs"),
    "browse.map.township_none": ("暂无开放需求的乡镇", "Township without open needs"),
    "browse.map.poverty": ("贫困乡镇（红圈）", "Poverty township (red ring)"),
    "browse.map.no_boundaries": (
        "未绘制县界：尚无可随项目分发的开放许可边界数据。",
        "No county boundaries are drawn: no openly licensed boundary file "
        "ships with the project yet.",
    ),
    "browse.map.details": ("各县详情（点开查看乡镇）", "County details (open to see townships)"),
    "browse.map.county_line": (
        "开放需求 {open} 个，已对接 {placed} 人",
        "{open} open needs, {placed} placements",
    ),
    "browse.map.township_line": ("{name}：开放需求 {open} 个", "{name}: {open} open needs"),
    "browse.map.poverty_tag": ("贫困乡镇", "poverty township"),
}
