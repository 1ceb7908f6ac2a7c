"""Names a recogniser misheard, mended by how the caller spells each character (development corpus, writer Y)."""
import pytest

from bot.report.answers import person_name
from bot.report.spelling import explanations, mended_by_spelling


@pytest.mark.parametrize("said, name", [
    ("沈佳宜 三点水的沈 佳人的佳 心旷神怡的怡", "沈佳怡"), ("王丽鹃 三横王 美丽的丽 娟秀的娟", "王丽娟"),
    ("谭志朋 言字旁那个谭 志向的志 鹏程万里的鹏", "谭志鹏"), ("马冬生 马就是那个马 东方的东 升起来的升", "马东升"),
    ("林志远 不是树林的林 是两点水那个凌 凌志远 志气的志 远方的远", "凌志远"),
    ("冯林林 两点水一个马的冯 琳是王字旁的琳 两个都是", "冯琳琳"), ("欧阳茜 欧洲的欧 太阳的阳 倩是单人旁一个青", "欧阳倩"),
    ("杜春升 木土杜 春天的春 生日的生", "杜春生"), ("李红英 黎明的黎 红色的红 英雄的英", "黎红英"),
    ("户名叫 那个 宋 宋伟 送东西的送 不对 是宋朝的宋 宋伟 伟大的伟", "宋伟"), ("我叫李景 木子李 安静的静", "李静"),
])
def test_a_misheard_name_is_mended_by_its_spelling(said, name):
    assert person_name(said) == name


def test_an_explanation_that_sounds_like_no_character_of_the_name_changes_nothing():
    assert mended_by_spelling("王芳", "王芳 钢琴的琴") == "王芳"
    assert mended_by_spelling("深圳市鑫源商贸有限公司", "鑫是三个金") == "深圳市鑫源商贸有限公司"


def test_ordinary_words_ending_in_de_are_no_explanations():
    assert explanations("转了我的钱 他的卡") == []


def test_the_same_character_explained_is_kept_before_one_that_only_sounds_alike():
    assert person_name("苏淑华 淑女的淑 中华的华") == "苏淑华"


def test_a_character_explained_as_a_part_of_the_one_meant_changes_nothing():
    assert person_name("我叫 那个 郜 郜永刚 告诉的告 加个 耳朵") == "郜永刚"
