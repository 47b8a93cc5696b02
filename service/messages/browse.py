"""Words people read: searching and browsing needs, why-not by name, the admin's user
and import pages, and the progress charts and map (zh-CN, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # needs search and browse
    "browse.needs_title": ("浏览需求", "Browse needs"),
    "browse.nav": ("浏览需求", "Browse needs"),
    "browse.q": ("关键词", "Keywords"),
    "browse.q_hint": ("标题、内容、单位或技能，如 儿科 全科", "Title, text, site or skill"),
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
}
