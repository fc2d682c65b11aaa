"""The places of the seeds (``shared/seeds``: reports from 黔西南州, 黔南州, 安阳市 and 天水市, with their counties and
courts) and of the tests' own world (贵州省黔南州都匀市, 福泉市). The deployment's pages and its API name none of them,
except a mechanism's origin where it is cited as such (``core.deployment``)."""

from __future__ import annotations

# "黔" is the province's short name: it stands for 黔南州, 黔西南州 and their courts' codes (黔2701, 黔27, 黔23).
SEED_PLACES = (
    "黔",
    "贵州",
    "都匀",
    "福泉",
    "兴义",
    "义龙",
    "望谟",
    "安龙",
    "普安",
    "册亨",
    "安阳",
    "河南",
    "天水",
    "甘肃",
)


def seed_places_in(text: str) -> list[str]:
    """The seeds' places that ``text`` names, in the order of ``SEED_PLACES``."""
    return [place for place in SEED_PLACES if place in text]
