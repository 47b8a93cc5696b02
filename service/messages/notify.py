"""Words people read: notifications (zh-CN, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "notify.proposed.title": ("新的对接邀请：{need}", "New invitation: {need}"),
    "notify.proposed.body": (
        "{site}的需求“{need}”邀请您对接。请在“我的对接”中表示意向或婉拒。",
        "{site} invites you to the need “{need}”. Show your interest or decline it under "
        "My matches.",
    ),
    "notify.interested.title": ("人才有意向：{need}", "A talent is interested: {need}"),
    "notify.interested.body": (
        "{talent}对需求“{need}”表示了意向，请接受或婉拒。",
        "{talent} is interested in “{need}”. Accept or decline.",
    ),
    "notify.accepted.title": ("待审批：{need}", "Waiting for approval: {need}"),
    "notify.accepted.body": (
        "{site}已接受{talent}对接需求“{need}”，请审批。",
        "{site} accepted {talent} for “{need}”. Approve or reject it.",
    ),
    "notify.approved.title": ("对接已批准：{need}", "Match approved: {need}"),
    "notify.approved.body": (
        "{talent}与{site}的对接“{need}”已批准，双方联系方式现已可见；请确定开始服务的日期。",
        "{talent} and {site} are approved for “{need}”; contacts are now visible. Agree on "
        "when the service starts.",
    ),
    "notify.rejected.title": ("对接未获批准：{need}", "Match not approved: {need}"),
    "notify.rejected.body": (
        "{talent}与{site}的对接“{need}”未获批准。原因：{reason}",
        "The match of {talent} with {site} for “{need}” was not approved. Reason: {reason}",
    ),
    "notify.started.title": ("服务已开始：{need}", "Service started: {need}"),
    "notify.started.body": (
        "{talent}在{site}的服务“{need}”已开始，请按时填写服务记录。",
        "{talent}'s service at {site} for “{need}” has started; keep the service records "
        "up to date.",
    ),
    "notify.cancelled.title": ("对接已取消：{need}", "Match cancelled: {need}"),
    "notify.cancelled.body": (
        "{talent}与{site}的对接“{need}”已取消。原因：{reason}",
        "The match of {talent} with {site} for “{need}” was cancelled. Reason: {reason}",
    ),
    "notify.record_due.title": ("请填写服务记录：{need}", "Service record due: {need}"),
    "notify.record_due.body": (
        "{talent}在{site}的服务“{need}”已有 {days} 天没有服务记录，请补充。",
        "{talent}'s service at {site} for “{need}” has no record for {days} days; add one.",
    ),
    "notify.need_expiring.title": ("需求即将到期：{need}", "Need about to expire: {need}"),
    "notify.need_expiring.body": (
        "{site}的需求“{need}”将于 {end} 到期，请延期、关闭或尽快确定人选。",
        "{site}'s need “{need}” ends on {end}; extend it, close it or settle a talent soon.",
    ),
    "notify.entry_returned.title": ("填报被退回：{title}", "Entry returned: {title}"),
    "notify.entry_returned.body": (
        "您填报的“{title}”被退回，请修改后重新提交。原因：{reason}",
        "Your entry “{title}” was returned; correct it and submit it again. Reason: {reason}",
    ),
    "notify.message.title": ("新留言：{need}", "New message: {need}"),
    "notify.message.body": (
        "{sender}就“{need}”（{site}）留言：{excerpt}",
        "{sender} wrote about “{need}” ({site}): {excerpt}",
    ),
    "notify.no_reason": ("未说明", "none given"),
    "notify.digest.title": (
        "人才对接：{count} 条新通知",
        "Rencai Match: {count} new notifications",
    ),
    "nav.notifications": ("通知", "Notifications"),
    "notify.page.title": ("通知", "Notifications"),
    "notify.page.empty": ("暂无通知。", "No notifications."),
    "notify.page.unread": ("未读", "Unread"),
    "notify.page.read": ("已读", "Read"),
    "notify.page.mark_read": ("标为已读", "Mark as read"),
    "notify.page.mark_all": ("全部标为已读", "Mark all as read"),
    "notify.page.open": ("查看", "Open"),
    "notify.prefs.title": ("通知设置", "Notification settings"),
    "notify.prefs.email": ("接收电子邮件", "Send me e-mail"),
    "notify.prefs.email_address": (
        "电子邮件地址（留空则用档案中的地址）",
        "E-mail address (empty: the one on file)",
    ),
    "notify.prefs.webhook": ("推送到群机器人/短信网关", "Send to the group robot / SMS gateway"),
    "notify.prefs.digest": (
        "每日汇总一封，而不是逐条发送",
        "One daily digest instead of each event",
    ),
    "notify.prefs.quiet": ("免打扰时段（整点，本地时间）", "Quiet hours (whole hours, local time)"),
    "notify.prefs.quiet_start": ("开始", "From"),
    "notify.prefs.quiet_end": ("结束", "Until"),
    "notify.prefs.timezone": ("时区", "Time zone"),
    "notify.prefs.save": ("保存", "Save"),
    "notify.prefs.saved": ("已保存。", "Saved."),
    "notify.admin.title": ("发送失败的通知", "Failed notifications"),
    "notify.admin.empty": ("没有发送失败的通知。", "No failed deliveries."),
    "notify.admin.channel": ("渠道", "Channel"),
    "notify.admin.target": ("发往", "To"),
    "notify.admin.attempts": ("尝试次数", "Attempts"),
    "notify.admin.error": ("错误", "Error"),
    "notify.admin.retry": ("重新发送", "Retry"),
    "notify.admin.retried": ("已重新排队发送。", "Queued to be sent again."),
    "notify.channel.email": ("电子邮件", "E-mail"),
    "notify.channel.webhook": ("群机器人/短信", "Group robot / SMS"),
}
