"""Publication with personal data removed (行政复议法 (2023) 第79条; 个人信息保护法 第28条): the file's text goes through
the documents' one anonymiser (tests/reconsideration/test_documents.py tests it on its own)."""

from __future__ import annotations

from fuyuan.reconsideration.models import Application
from fuyuan.reconsideration.workflow import publishable_text


def test_the_applicants_and_the_agents_names_become_pseudonyms_and_their_particulars_are_struck_out() -> None:
    application = Application(
        applicant_name="张三、欧阳娜娜",
        agent="李明，黔南律师事务所律师",
        applicant_id_number="52270119900101123X",
        applicant_phone="13912345678",
        applicant_address="都匀市文峰路1号",
    )
    text = "申请人张三、欧阳娜娜，住都匀市文峰路1号，电话13912345678，身份证号52270119900101123X，委托李明代理。"

    assert publishable_text(application, text) == ("申请人张某、欧阳某，住×××，电话×××，身份证号×××，委托李某代理。")


def test_a_number_not_on_file_that_looks_like_an_id_or_mobile_number_is_struck_out_too() -> None:
    application = Application(applicant_name="王伟")

    assert publishable_text(application, "第三人身份证号110101199003071234，手机15800001111") == (
        "第三人身份证号×××，手机×××"
    )
