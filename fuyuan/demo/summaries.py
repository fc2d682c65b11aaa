"""The demo cases' 案情摘要 (SPEC §9 "Case summaries"): a few sentences of facts and claims, templated by 领域 and
案由 with varied facts (the place, the thing in dispute, the procedural step at issue, the claim), so that the case
page's 类案检索 panel and the search page find sensible neighbours in the demo.

Drawn from ``random.Random(f"{seed}:summaries")``, separate from the generator's own draws, so adding summaries moves
no other demo figure. Names are never real: parties are 某 plus a surname.
"""

from __future__ import annotations

import random

from fuyuan.cases.choices import ActType, Domain

PLACES = ["城关镇", "河西村", "新华社区", "南山村", "东关街道", "马场坪", "平桥村", "龙井社区", "牛场镇", "坝固镇"]
SURNAMES = "王李张刘陈杨黄赵吴周罗石韦吴潘"

# What the dispute is about, by 领域: (the thing, the act's wording).
MATTERS: dict[str, list[str]] = {
    Domain.LAND_EXPROPRIATION: ["集体土地上的房屋", "承包地及地上附着物", "临街门面房", "宅基地上的自建房", "养殖场"],
    Domain.NATURAL_RESOURCES: ["宅基地", "未经批准占用的耕地", "采石场", "新建厂房用地", "集体建设用地"],
    Domain.PUBLIC_SECURITY: ["酒后驾驶机动车", "在公共场所殴打他人", "扰乱单位秩序", "赌博", "阻碍执行职务"],
    Domain.MARKET: ["销售过期食品", "虚假宣传保健品", "无照经营", "销售不合格电线电缆", "价格欺诈"],
    Domain.LABOUR: ["在上班途中发生交通事故受伤", "在工地摔伤", "被拖欠工资", "未缴纳社会保险", "突发疾病死亡"],
    Domain.HOUSING: ["违法建设的楼房加层", "小区内搭建的彩钢棚", "未取得施工许可的厂房", "临街违章雨棚", "商品房预售"],
    Domain.ENVIRONMENT: ["超标排放废水", "未批先建的砖厂", "露天焚烧垃圾", "噪声扰民的搅拌站", "未验收投产的养猪场"],
    Domain.FORESTRY: ["滥伐林木", "非法占用林地修路", "林权证登记", "采伐许可证申请", "林地承包经营权"],
    Domain.TRANSPORT: ["非法营运的面包车", "超限运输的货车", "道路运输经营许可", "出租车经营权", "货车被暂扣"],
    Domain.EDUCATION: ["民办培训机构办学许可", "学生学籍", "教师资格认定", "校外培训机构", "民办学校年检"],
    Domain.HEALTH: ["诊所执业许可", "医师执业证书", "非法行医", "医疗机构校验", "药品零售"],
    Domain.OTHER: ["行政管理事项", "集体经济组织成员资格", "水利设施", "村务", "殡葬管理"],
}

DEFECTS = [
    "未告知陈述申辩权",
    "未经催告",
    "未依法送达决定书",
    "认定事实不清、证据不足",
    "超过法定期限",
    "未举行听证",
    "适用法律错误",
    "未经法制审核",
]

TEMPLATES: dict[str, list[str]] = {
    ActType.PENALTY: [
        "{agency}以原告{who}在{place}{matter}为由，作出罚款{amount}元的行政处罚决定。原告认为处罚{defect}，请求撤销处罚决定。",
        "原告{who}因{matter}被{agency}处以罚款{amount}元并没收违法所得，原告称其{defect}，处罚明显过重，请求撤销或变更。",
        "{agency}对原告{who}{matter}一事立案调查后作出行政处罚，原告主张执法过程{defect}，请求确认处罚违法。",
    ],
    ActType.COERCION: [
        "{agency}认定原告{who}位于{place}的{matter}为违法建筑，{defect}即组织强制拆除，原告请求确认强制拆除行为违法并赔偿损失。",
        "原告{who}的{matter}被{agency}强制拆除，原告认为拆除前{defect}，且未给予合理期限自行拆除，请求确认违法。",
        "{agency}对原告{who}的{matter}采取查封、扣押措施，原告认为强制措施{defect}，请求解除查封并确认违法。",
    ],
    ActType.LICENSING: [
        "原告{who}就{matter}向{agency}申请行政许可，{agency}作出不予许可决定，原告认为决定{defect}，请求撤销并责令重新作出。",
        "{agency}撤销了原告{who}已取得的{matter}许可，原告认为撤销许可{defect}，信赖利益受损，请求撤销该决定。",
    ],
    ActType.LEVY: [
        "{agency}作出房屋征收决定，将原告{who}位于{place}的{matter}纳入征收范围，原告认为征收决定{defect}，请求撤销。",
        "原告{who}不服{agency}对{place}{matter}作出的征收补偿决定，认为补偿标准过低且{defect}，请求撤销补偿决定。",
    ],
    ActType.REQUISITION: [
        "{agency}为修建道路临时征用原告{who}的{matter}，至今未给予补偿，原告认为征用{defect}，请求确认违法并给予补偿。",
    ],
    ActType.CONFIRMATION: [
        "原告{who}{matter}，向{agency}申请工伤认定，{agency}作出不予认定工伤决定，原告认为决定{defect}，请求撤销并重新认定。",
        "{agency}就原告{who}与第三人关于{place}{matter}的权属争议作出确认决定，原告认为{defect}，请求撤销。",
    ],
    ActType.REGISTRATION: [
        "{agency}将{place}{matter}登记在第三人名下，原告{who}认为登记{defect}，侵犯其合法权益，请求撤销该登记。",
        "原告{who}申请办理{matter}的不动产登记，{agency}不予登记，原告认为{defect}，请求判令依法办理登记。",
    ],
    ActType.COMPENSATION: [
        "原告{who}的{matter}因{agency}的违法行为受损，原告请求{agency}赔偿损失{amount}元，{agency}认为其行为并无{defect}。",
        "{agency}强制拆除原告{who}的{matter}已被确认违法，原告请求赔偿房屋及室内物品损失{amount}元。",
    ],
    ActType.INDEMNITY: [
        "原告{who}位于{place}的{matter}被依法收回，{agency}未予补偿，原告请求判令{agency}给予补偿{amount}元。",
    ],
    ActType.NONPERFORMANCE: [
        "原告{who}书面申请{agency}对{place}{matter}依法查处，{agency}逾期未作处理，原告请求判令{agency}履行法定职责。",
        "原告{who}就{matter}向{agency}投诉举报，{agency}未在法定期限内答复，原告认为其不履行法定职责，请求责令履行。",
    ],
    ActType.INFORMATION: [
        "原告{who}向{agency}申请公开{place}{matter}相关的审批文件，{agency}答复信息不存在，原告认为答复{defect}，请求撤销并重新答复。",
        "原告{who}申请公开{matter}的征收补偿安置方案，{agency}逾期未答复，原告请求判令{agency}履行政府信息公开职责。",
    ],
    ActType.AGREEMENT: [
        "原告{who}与{agency}就{place}{matter}签订征收补偿协议，{agency}未按约定支付补偿款{amount}元，原告请求判令继续履行协议。",
        "{agency}单方解除与原告{who}签订的{matter}行政协议，原告认为解除{defect}，请求确认解除行为违法并继续履行。",
    ],
    ActType.OTHER: [
        "原告{who}不服{agency}就{place}{matter}作出的处理决定，认为决定{defect}，请求予以撤销。",
    ],
}


class SummaryWriter:
    """Writes one plausible 案情摘要 per case, varied by its 案由, 领域 and agency."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"{seed}:summaries")

    def write(self, cause: str, domain: str, agency: str) -> str:
        return self.compose(cause, domain, agency)[0]

    def compose(self, cause: str, domain: str, agency: str) -> tuple[str, str]:
        """(the summary, the thing in dispute it names): the retrieval evaluation labels cases by the latter."""
        rng = self.rng
        template = rng.choice(TEMPLATES.get(cause) or TEMPLATES[ActType.OTHER])
        matter = rng.choice(MATTERS.get(domain) or MATTERS[Domain.OTHER])
        text = template.format(
            agency=agency,
            who=f"{rng.choice(SURNAMES)}某",
            place=rng.choice(PLACES),
            matter=matter,
            defect=rng.choice(DEFECTS),
            amount=rng.randint(2, 500) * 1000,
        )
        return text, matter
