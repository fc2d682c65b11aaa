"""Chinese segmentation for 类案检索: jieba (a maintained segmenter, pure Python, dictionary-based with an HMM for
unknown words) with a legal dictionary (``legal_dict.txt``: 案由, 领域 and the words of administrative cases that
jieba's general dictionary splits, such as 强制拆除, 不履行法定职责, 林木采伐许可证), and a short stop list.

Search-engine mode (``cut_for_search``) also yields the words inside a long word (强制拆除 → 强制, 拆除, 强制拆除), so
"拆除" in a lawyer's description finds a case summarised as "责令限期拆除".

``terms`` keeps words of two or more characters and numbers' absence: single characters are mostly function words
(的、了、在、对) and a search on them ranks nothing usefully; what a case is about is in its longer words.
"""

from __future__ import annotations

import logging
import re
from functools import cache
from pathlib import Path
from typing import Any

LEGAL_DICTIONARY = Path(__file__).with_name("legal_dict.txt")

_STOP_TEXT = """
一个 没有 我们 他们 你们 其他 以及 因此 但是 并且 或者 如果 由于 认为 提出 要求 进行 之后 之前 期间 当日 次日
有关 相关 对于 关于 根据 按照 通过 作为 已经 仍然 其中 该案 本案 原告 被告 申请人 被申请人 第三人 上述 所述 同时
请求 诉称 称其 某某 某某某 此后 随后 经查 后来 当时 以上 以下 一审 二审 法院 人民法院
未经 未予 作出 任何 一直 没有 不能 可以 应当
"""
STOPWORDS = frozenset(_STOP_TEXT.split())

# How people describe a case (a lawyer's notes, a citizen's words at the window) → the words case records use: both
# are kept, so that "强拆" finds "强制拆除" and the record's own word still counts.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "强拆": ("强制拆除", "拆除"),
    "拆房": ("拆除", "房屋"),
    "推平": ("拆除",),
    "违建": ("违法建筑", "违章建筑"),
    "房子": ("房屋",),
    "打架": ("殴打",),
    "打人": ("殴打",),
    "喝酒": ("酒后", "驾驶"),
    "开车": ("驾驶", "机动车"),
    "酒驾": ("酒后驾驶", "醉酒驾驶", "驾驶"),
    "醉驾": ("醉酒驾驶", "驾驶"),
    "罚钱": ("罚款",),
    "罚了": ("罚款",),
    "不给钱": ("补偿款", "支付"),
    "不付": ("支付",),
    "补偿款": ("补偿",),
    "不管": ("不履行", "法定职责"),
    "不作为": ("不履行", "法定职责"),
    "不处理": ("查处", "不履行"),
    "举报": ("投诉", "查处"),
    "不答复": ("逾期", "答复"),
    "没答复": ("逾期", "答复"),
    "执照": ("营业执照",),
    "城管": ("综合执法", "城市管理"),
    "环保": ("生态环境",),
    "人社": ("人力资源", "社会保障"),
    "车祸": ("交通事故",),
    "工地": ("施工",),
    "去世": ("死亡",),
    "拉客": ("营运",),
    "黑车": ("非法营运",),
    "卖了": ("销售",),
    "卖": ("销售",),
    "拘留": ("行政拘留",),
}

_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]")


@cache
def _segmenter() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(LEGAL_DICTIONARY))
    return tokenizer


def terms(text: str, *, expand: bool = True) -> list[str]:
    """The words of ``text`` that a similar-case search compares, in order, with repeats (term frequency counts);
    ``expand`` adds the record words of ``SYNONYMS`` (the evaluation turns it off to show what it adds)."""
    if not text:
        return []
    found: list[str] = []
    for w in _segmenter().lcut_for_search(text, HMM=True):
        if expand and w in SYNONYMS:
            found.extend(SYNONYMS[w])
        if len(w) >= 2 and _WORD.search(w) and w not in STOPWORDS:
            found.append(w)
    return found


def bigrams(text: str) -> list[str]:
    """The baseline's terms: every pair of adjacent Chinese characters (no dictionary, no segmentation)."""
    chars = re.sub(r"[^\u4e00-\u9fff]+", "|", text)
    return [chars[i : i + 2] for i in range(len(chars) - 1) if "|" not in chars[i : i + 2]]
