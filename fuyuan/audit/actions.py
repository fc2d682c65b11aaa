"""What each page's form does, in the words of the people who use it: the audit log's summaries name an action by
one of these verbs and a record by its official number or name (its ``__str__``), never by a URL name or a database
id. One table, so a new page is named here once.

``ACTIONS`` maps a URL name to what submitting its form does; a URL name not in it is named by its namespace
(``NAMESPACE_ACTIONS``), and failing that as 提交表单."""

from __future__ import annotations

from collections.abc import Mapping

ACTIONS: dict[str, str] = {
    # cases
    "cases:create": "登记案件",
    "cases:edit": "修改案件信息",
    "cases:import": "导入案件台账",
    # disputes (协调化解中心)
    "disputes:new": "登记行政争议",
    "disputes:apply": "在线申请协调化解",
    "disputes:classify": "确认争议分类",
    "disputes:link": "关联诉讼或复议案件",
    "disputes:accept": "受理争议",
    "disputes:reject": "不予受理",
    "disputes:merge": "合并重复申请",
    "disputes:assign": "指派协调员",
    "disputes:release": "协调员退出专班",
    "disputes:review": "登记专家评审意见",
    "disputes:plan": "确定化解方案",
    "disputes:meeting": "登记会谈",
    "disputes:mediated": "登记调解成功",
    "disputes:withdrawn": "登记申请人撤回",
    "disputes:handover": "调解不成，移交诉讼或复议",
    "disputes:coordinator_new": "新增专业协调员",
    "disputes:coordinator_edit": "修改协调员信息",
    "disputes:coordinator_remove": "协调员移出协调员库",
    "disputes:coordinator_restore": "协调员重新入库",
    "disputes:conflict_declare": "申报利益冲突",
    "disputes:conflict_withdraw": "撤回利益冲突申报",
    # hearings
    "hearings:new": "登记开庭通知",
    "hearings:designate": "指定出庭负责人",
    "hearings:explain": "提交不能出庭的书面说明",
    "hearings:attendance": "登记出庭情况",
    "hearings:cancel": "取消开庭",
    # accountability (书面报告, 败诉问责, 典型案例, 移送纪委监委)
    "accountability:submit": "报送书面报告",
    "accountability:accept": "审核通过书面报告",
    "accountability:return": "退回书面报告",
    "accountability:loss_notice": "败诉通报",
    "accountability:loss_analysis": "登记败诉倒查分析",
    "accountability:loss_interview": "登记败诉约谈",
    "accountability:loss_decision": "作出追责决定",
    "accountability:loss_comment": "填写法院点评",
    "accountability:typical_list": "新建典型案例汇编",
    "accountability:typical_select": "选定典型案例",
    "accountability:typical_issue": "印发典型案例汇编",
    "accountability:typical_edit": "修改典型案例",
    "accountability:typical_move": "调整典型案例顺序",
    "accountability:typical_remove": "移除典型案例",
    "accountability:transfer_propose": "提出移送纪委监委",
    "accountability:transfer_step": "办理移送纪委监委",
    # packaging (领导包案)
    "packaging:new": "安排领导包案",
    "packaging:edit": "修改领导包案",
    "packaging:progress": "报送包案进展",
    "packaging:interview": "登记包案约谈",
    "packaging:close": "办结领导包案",
    # rectification (司法建议、检察建议销账本)
    "rectification:new": "登记建议书",
    "rectification:report": "报送整改情况",
    "rectification:verify": "核验整改事项",
    "rectification:return": "退回整改事项",
    # statistics
    "stats:benchmark_new": "录入对标数据",
    "stats:benchmark_edit": "修改对标数据",
    # notifications
    "notifications:mark_read": "标记消息已读",
    "notifications:mark_all_read": "全部消息标记已读",
    "notifications:requeue": "重新发送消息",
    "notifications:requeue_all": "重新发送全部失败消息",
    # personal data, security, accounts, external systems
    "reveal-personal-data": "查看完整个人信息",
    "security:password": "修改本人密码",
    "security:otp": "输入动态验证码",
    "security:otp_setup": "绑定身份验证器",
    "admins:create": "创建账号",
    "admins:reset_password": "重置账号密码",
    "admins:deactivate": "停用账号",
    "admins:activate": "启用账号",
    "admins:assign_role": "分配角色和范围",
    "admins:reset_second_factor": "重置动态验证码",
    "admins:unlock": "解除登录锁定",
    "api:systems": "登记外部系统",
    "api:create_token": "签发接口令牌",
    "api:revoke_token": "吊销接口令牌",
    "audit:verify": "校验审计链",
}

# Pages of a namespace not named above (the configuration console's add, change and delete pages).
NAMESPACE_ACTIONS: dict[str, str] = {
    "admin": "修改配置数据",
    "decisions": "办理重大行政决策",
    "decisions_public": "对决策草案提出意见",
}

# A step of a page that does several things (``accountability:transfer_step``'s ``step``), by its URL argument.
STEP_ACTIONS: dict[str, dict[str, str]] = {
    "accountability:transfer_step": {
        "submit": "移送纪委监委：县级初审完成，报州级复核",
        "transfer": "移送纪委监委：州级复核同意移送",
        "reject": "移送纪委监委：州级复核不予移送",
        "acknowledge": "移送纪委监委：纪委监委签收",
        "answer": "移送纪委监委：反馈处理结果",
    },
}


def action_label(url_name: str, url_kwargs: Mapping[str, object] | None = None) -> str:
    """What submitting the form at ``url_name`` does, as a Chinese verb phrase."""
    steps = STEP_ACTIONS.get(url_name)
    if steps and url_kwargs and str(url_kwargs.get("step", "")) in steps:
        return steps[str(url_kwargs["step"])]
    if url_name in ACTIONS:
        return ACTIONS[url_name]
    return NAMESPACE_ACTIONS.get(url_name.rpartition(":")[0], "提交表单")
