"""A complete nomination of each category, as an operator would type it: the forms docs/forms.md shows, and
what scripts/fault-drill.sh writes over and over (with a new name and ID number each time)."""

from __future__ import annotations

import struct
import zlib


def id_number(first17: str) -> str:
    """GB 11643 check character for 17 digits."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights))
    return first17 + "10X98765432"[total % 11]


def portrait_png(width: int = 350, height: int = 490) -> bytes:
    """A stand-in 二寸 photo (35 × 49): a grey head and shoulders on the usual light-blue background."""
    rows = []
    cx, head_cy, head_rx, head_ry = width / 2, height * 0.36, width * 0.2, height * 0.17
    shoulders_cy, shoulders_rx, shoulders_ry = height * 1.02, width * 0.46, height * 0.42
    for y in range(height):
        row = bytearray([0])  # filter: none
        for x in range(width):
            in_head = ((x - cx) / head_rx) ** 2 + ((y - head_cy) / head_ry) ** 2 <= 1
            in_body = ((x - cx) / shoulders_rx) ** 2 + ((y - shoulders_cy) / shoulders_ry) ** 2 <= 1
            row += bytes((88, 92, 104) if in_head or in_body else (196, 222, 244))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + chunk(b"IEND", b""))


DEEDS_PERSON = "\n".join([
    "该同志2007年参加工作，2013年加入中国共产党，现任顺丰速运鄂尔多斯分公司东胜区营业部快递员、党小组长。"
    "他始终坚持以习近平新时代中国特色社会主义思想为指导，认真参加“三会一课”和主题党日活动，按时足额缴纳党费，"
    "在平凡的快递岗位上践行共产党员的初心使命。",
    "扎根一线，业务过硬。十余年来，他累计派送快件四十余万件，投递准确率始终保持在99.9%以上，连续五年被评为分公司"
    "“服务之星”。他总结的“分区定时、电话预约、当面验收”派件法，被营业部推广到全体快递员，使网点客户投诉率下降六成。"
    "他主动承担偏远小区和老旧楼院的投递任务，从不挑活、从不叫苦。",
    "冲锋在前，勇于担当。2023年冬季暴雪期间，城区多条道路封闭，他带领党员突击队连续奋战七昼夜，"
    "把药品、生活物资和年货送到两千余户居民手中，保障了辖区群众的基本生活需要。"
    "疫情防控期间，他第一个报名参加社区志愿服务，承担无接触配送和物资转运任务，累计服务时长三百余小时。",
    "传帮带教，凝聚队伍。作为党小组长，他坚持把骨干培养成党员、把党员培养成骨干，先后带出十余名业务能手，"
    "其中三人已递交入党申请书、两人被确定为入党积极分子。他牵头建立“快递小哥之家”，"
    "组织新业态从业人员学习交通安全、劳动权益保护等知识，帮助二十余名外地快递员解决子女入学、租房等实际困难。",
    "热心公益，服务群众。他发起“暖心邮路”志愿服务队，利用业余时间为独居老人、残疾人代缴水电费、代购生活用品，"
    "帮助留守儿童寄送书信和礼物，五年来开展志愿服务一百二十余次，受到社区群众的广泛赞誉。"
    "他常说：“党员就是要在群众最需要的时候站出来。”他用实际行动诠释了新时代快递行业共产党员的责任与担当，"
    "在新就业群体中树立了先锋模范形象。",
])

DEEDS_ORG = "\n".join([
    "中通快递鄂尔多斯分拨中心党支部成立于2019年，现有正式党员12名、入党积极分子4名，下设三个党小组。"
    "支部坚持以习近平新时代中国特色社会主义思想为指导，把党的建设与企业发展深度融合，"
    "推动党组织政治优势转化为企业发展优势，先后被评为全市新业态新就业群体党建示范点。",
    "抓班子带队伍，战斗堡垒更加坚强。支部严格落实“三会一课”、组织生活会、民主评议党员等制度，"
    "建立“支部书记讲党课、党员骨干讲业务”的双讲机制，每月开展主题党日活动。"
    "支部委员全部由业务骨干担任，分拨中心三个班组长中有两名是党员，实现了党建工作和生产经营“两手抓、两促进”。",
    "抓融合促发展，服务大局成效明显。支部设立“党员先锋岗”8个、“党员责任区”5个，在“双十一”“618”等业务高峰期"
    "组织党员突击队连续作战，2023年分拨中心日均处理快件量增长35%，全年未发生重大安全生产事故。"
    "支部牵头开展“降本增效金点子”征集活动，采纳合理化建议26条，为企业节约运营成本一百余万元。",
    "抓服务暖人心，凝聚力不断增强。支部建立“小哥驿站”，为快递员提供休息、饮水、充电、维修等暖心服务，"
    "协调人社、医保部门上门为一百余名从业人员办理社会保险，组织健康体检和法律咨询活动十余场。"
    "支部联合社区开展“快递进社区、服务零距离”志愿活动，为居民提供代收代寄、便民咨询等服务。",
    "抓引领育人才，发展后劲持续增强。支部注重从一线快递员、分拣员中发现和培养入党积极分子，"
    "近三年发展党员5名，培养业务骨干20余名，一名党员被评为全市“最美快递员”。"
    "今后，支部将继续发挥战斗堡垒作用，团结带领党员群众在推动行业高质量发展中作出新的更大贡献。",
])


def person_form(category: str) -> dict[str, str]:
    form = {
        "category": category, "recommending_branch": "顺丰速运鄂尔多斯分公司党支部", "gender": "", "ethnicity": "01",
        "birth_month": "", "native_place": "内蒙古鄂尔多斯", "work_start_month": "2007-07", "party_join_date": "2013-06",
        "full_member_date": "2014-06", "education": "61", "professional_title": "",
        "frontline": "yes", "phone": "15847712345",
        "honors_received": "2021.06 市快递行业党委 优秀共产党员\n2022.12 顺丰速运鄂尔多斯分公司 服务之星",
        "deeds": DEEDS_PERSON,
        "no_violation_3y": "1", "dues_paid_3y": "1", "org_life_3y": "1", "vanguard_3y": "1",
    }
    if category == "member":
        form |= {"name": "侯桂𬌗", "id_number": id_number("15060219871123415"),
                 "unit_and_position": "顺丰速运鄂尔多斯分公司东胜区营业部 快递员",
                 "resume": "2007.07—2013.05 顺丰速运鄂尔多斯分公司 快递员\n2013.06—今 顺丰速运鄂尔多斯分公司东胜区营业部 快递员、党小组长"}
    else:
        form |= {"name": "阿卜杜热合曼·买买提", "ethnicity": "05", "id_number": id_number("15060219820305133"),
                 "work_start_month": "2003-07", "party_join_date": "2006-06", "full_member_date": "2007-06", "education": "31",
                 "unit_and_position": "顺丰速运鄂尔多斯分公司 党支部书记、综合部经理", "party_post": "党支部书记",
                 "party_work_since": "2016-03",
                 "resume": "2003.07—2015.12 顺丰速运鄂尔多斯分公司 客服专员\n2016.01—今 顺丰速运鄂尔多斯分公司 综合部经理"}
    return form


ORG_FORM = {
    "category": "org", "org_name": "中通快递鄂尔多斯分拨中心党支部", "org_unit": "中通快递鄂尔多斯分拨中心",
    "org_leader": "姜华", "member_count": "12",
    "basic_info": "支部现有正式党员12名、入党积极分子4名，下设三个党小组；支部书记由分拨中心总经理兼任。",
    "honors_received": "2022.07 市快递行业党委 先进基层党组织", "deeds": DEEDS_ORG,
}


def numbered_member(n: int) -> dict[str, str]:
    """The member nomination again as the n-th of many: its own name (演练 and n in Chinese digits) and its own
    ID number (birth date and sequence taken from n), so no two of them are the same person."""
    digits = "〇一二三四五六七八九"
    month, day, sequence = 1 + (n // 28) % 12, 1 + n % 28, (n // 336) % 1000
    return person_form("member") | {
        "name": "演练" + "".join(digits[int(d)] for d in str(n)),
        "id_number": id_number(f"1506021987{month:02d}{day:02d}{sequence:03d}"),
    }
