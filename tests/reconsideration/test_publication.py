"""Publication with personal data removed (行政复议法 (2023) 第79条; 个人信息保护法 第28条)."""

from __future__ import annotations

from fuyuan.reconsideration.rules import pseudonym, redact


def test_names_become_pseudonyms_and_numbers_and_addresses_are_removed() -> None:
    text = "申请人张三、李四，住都匀市文峰路1号，电话13912345678，身份证号52270119900101123X。"

    published = redact(text, names=["张三、李四"], values=["都匀市文峰路1号"])

    assert published == "申请人张某、李某，住（已删除），电话（已删除），身份证号（已删除）。"


def test_a_number_not_on_file_that_looks_like_an_id_or_mobile_number_is_removed_too() -> None:
    assert redact("第三人身份证号110101199003071234，手机15800001111") == "第三人身份证号（已删除），手机（已删除）"


def test_a_pseudonym_keeps_the_family_name_of_each_person() -> None:
    assert pseudonym("王伟、欧阳娜娜") == "王某、欧某"
