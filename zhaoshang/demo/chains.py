"""The demo's chain map: the chains of the report, their links, targets, chain leaders, pilot zones and platforms.

Written by us from FACTS.md. The report names the chains and how many of Jiaxing's zones are pilots (4 of the
province's 27 pilot-demonstration units, 7 of its 38 pilot units); which zone holds which chain, the platforms'
names beyond those the report gives, the ranks and the leaders' titles are the demo's own, marked as such.
Fortune Global 500 ranks are the 2019 ranks the demo's list carries (zhaoshang/demo/facts.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from stdnum.cn import uscc

from zhaoshang.chains import services as cs
from zhaoshang.chains.models import Chain, ChainLeader, ChainLink, ChainPilot, LinkEnterprise, Platform
from zhaoshang.projects import services as ps
from zhaoshang.projects.models import Country, Enterprise, FocusIndustry, Industry
from zhaoshang.units.models import Unit

from .codes import org_code_check

# GB/T 4754-2017 classes the chains use beyond those the registry demo loads.
INDUSTRIES = [
    ("D", "电力、热力、燃气及水生产和供应业"),
    ("15", "酒、饮料和精制茶制造业"),
    ("20", "木材加工和木、竹、藤、棕、草制品业"),
    ("21", "家具制造业"),
    ("29", "橡胶和塑料制品业"),
    ("32", "有色金属冶炼和压延加工业"),
    ("44", "电力、热力生产和供应业"),
    ("1492", "保健食品制造"),
    ("1495", "食品及饲料添加剂制造"),
    ("1529", "茶饮料及其他饮料制造"),
    ("2022", "纤维板制造"),
    ("2110", "木质家具制造"),
    ("2614", "有机化学原料制造"),
    ("2661", "化学试剂和助剂制造"),
    ("2662", "专项化学用品制造"),
    ("2710", "化学药品原料药制造"),
    ("2762", "基因工程药物和疫苗制造"),
    ("2921", "塑料薄膜制造"),
    ("2922", "塑料板、管、型材制造"),
    ("3091", "石墨及碳素制品制造"),
    ("3252", "铝压延加工"),
    ("3421", "金属切削机床制造"),
    ("3444", "液压动力机械及元件制造"),
    ("3451", "滚动轴承制造"),
    ("3484", "机械零部件加工"),
    ("3491", "工业机器人制造"),
    ("3584", "医疗、外科及兽医用器械制造"),
    ("3812", "电动机制造"),
    ("3824", "电力电子元器件制造"),
    ("3832", "光纤制造"),
    ("3833", "光缆制造"),
    ("3854", "家用厨房电器具制造"),
    ("3872", "照明灯具制造"),
    ("3921", "通信系统设备制造"),
    ("3922", "通信终端设备制造"),
    ("3972", "半导体分立器件制造"),
    ("3981", "电阻电容电感元件制造"),
    ("3982", "电子电路制造"),
    ("3983", "敏感元件及传感器制造"),
    ("3985", "电子专用材料制造"),
    ("3990", "其他电子设备制造"),
    ("4416", "太阳能发电"),
    ("6513", "应用软件开发"),
]

# (slug, name, focus-industry slug, description, links). A link: (name, GB/T 4754 codes, keywords, upstream names).
CHAINS: list[tuple[str, str, str | None, str, list[tuple[str, list[str], str, list[str]]]]] = [
    (
        "pv",
        "光伏",
        "new-energy",
        "秀洲光伏产业链：组件龙头隆基、阿特斯落户，光伏玻璃福莱特扩产",
        [
            ("多晶硅", ["3985"], "多晶硅、高纯硅料", []),
            ("硅片", ["3985", "3825"], "硅片、拉晶、切片", ["多晶硅"]),
            ("电池片", ["3825"], "电池片、异质结、PERC、TOPCon", ["硅片"]),
            ("组件", ["3825"], "光伏组件、组件", ["电池片", "光伏玻璃", "边框与胶膜"]),
            ("光伏玻璃", ["3042"], "光伏玻璃、压延玻璃", []),
            ("边框与胶膜", ["3252", "2921"], "光伏边框、铝边框、胶膜、背板", []),
            ("逆变器", ["3824"], "逆变器、光伏逆变", ["组件"]),
            ("光伏电站", ["4416"], "光伏电站、分布式光伏、太阳能发电", ["组件", "逆变器"]),
        ],
    ),
    (
        "nev",
        "新能源汽车",
        "nev",
        "链长制试点产业链（试点单位）",
        [
            ("动力电池", ["3841"], "动力电池、锂电池、储能电池", []),
            ("电驱系统", ["3670", "3812"], "电驱、驱动电机、电控", []),
            ("汽车电子", ["3670", "3983"], "汽车电子、智能座舱、车载传感", []),
            ("轻量化车身与零部件", ["3670"], "轻量化、车身、零部件", []),
            ("整车", ["3612"], "整车", ["动力电池", "电驱系统", "汽车电子", "轻量化车身与零部件"]),
        ],
    ),
    (
        "pan-semiconductor",
        "泛半导体",
        "semiconductor",
        "链长制试点产业链（试点示范单位）",
        [
            ("半导体材料", ["3985"], "半导体材料、电子特气、光刻胶、靶材", []),
            ("芯片设计", ["6520"], "芯片设计", []),
            ("晶圆制造", ["3973"], "晶圆、集成电路制造", ["半导体材料", "芯片设计"]),
            ("封装测试", ["3973"], "封装测试、封测", ["晶圆制造"]),
            ("功率器件", ["3972"], "功率半导体、IGBT、功率器件", ["晶圆制造"]),
            ("半导体设备及零部件", ["3562"], "半导体设备", []),
            ("光电与传感器件", ["3976", "3983"], "MEMS、传感器、光电", ["封装测试"]),
        ],
    ),
    (
        "biomedicine",
        "生物医药",
        "health",
        "大健康产业；云顶新耀落户嘉善",
        [
            ("研发与临床服务", ["7340"], "研发、临床、医学研究", []),
            ("原料药", ["2710"], "原料药", []),
            ("生物药", ["2761", "2762"], "生物药、抗体、疫苗", ["研发与临床服务"]),
            ("创新药制剂", ["2720"], "创新药、制剂", ["研发与临床服务", "原料药"]),
            ("医疗器械与耗材", ["3584"], "医疗耗材、医疗器械", []),
        ],
    ),
    (
        "eco-materials",
        "环保新材料",
        "materials",
        "链长制试点产业链（试点示范单位）",
        [
            ("生物基与可降解材料", ["2651"], "可降解、生物基", []),
            ("环保涂料", ["2641"], "水性涂料、环保涂料、高性能涂料", []),
            ("再生与差别化纤维", ["2822"], "再生纤维、差别化纤维", ["生物基与可降解材料"]),
        ],
    ),
    (
        "health-food",
        "健康食品",
        "food",
        "链长制试点产业链（试点示范单位）",
        [
            ("食品原料与添加剂", ["1495"], "食品添加剂、营养原料", []),
            ("营养与保健食品", ["1491", "1492"], "营养健康食品、保健食品", ["食品原料与添加剂"]),
            ("功能饮料", ["1529"], "功能饮料", ["食品原料与添加剂"]),
            ("高端调味品", ["1469"], "高端调味品、调味品", ["食品原料与添加剂"]),
        ],
    ),
    (
        "frontier-materials",
        "前沿新材料",
        "materials",
        "链长制试点产业链（试点示范单位）",
        [
            ("碳纤维与石墨烯", ["3091"], "碳纤维、石墨烯", []),
            ("特种玻璃", ["3042"], "特种玻璃", []),
            ("电子化学品", ["2661"], "电子化学品、试剂", []),
        ],
    ),
    (
        "comm-electronics",
        "通信电子",
        None,
        "链长制试点产业链（试点单位）",
        [
            ("光纤光缆", ["3832", "3833"], "光纤、光缆", []),
            ("光器件与光模块", ["3976"], "光模块、光器件", ["光纤光缆"]),
            ("通信设备", ["3921", "3922"], "通信设备、基站、5G", ["光器件与光模块"]),
        ],
    ),
    (
        "chemical-materials",
        "化工新材料",
        "materials",
        "链长制试点产业链（试点单位）",
        [
            ("基础化工原料", ["2614"], "化工原料、烯烃", []),
            ("合成树脂与工程塑料", ["2651"], "工程塑料、合成树脂", ["基础化工原料"]),
            ("专用化学品", ["2662", "2641"], "专用化学品、助剂、涂料", ["基础化工原料"]),
        ],
    ),
    (
        "electronic-info",
        "电子信息",
        "big-data",
        "链长制试点产业链（试点单位）",
        [
            ("电子元器件", ["3981", "3982"], "电子元器件、电路板", []),
            ("计算机与智能终端", ["3911"], "计算机、智能终端", ["电子元器件"]),
            ("软件与信息服务", ["6513", "6520"], "软件、工业互联网、数据中心", []),
        ],
    ),
    (
        "precision-machinery",
        "精密机械",
        "equipment",
        "链长制试点产业链（试点单位）",
        [
            ("轴承与传动件", ["3451"], "轴承、齿轮", []),
            ("阀门与液压件", ["3443", "3444"], "智能阀门、阀门、液压", []),
            ("精密零部件", ["3484"], "精密机械、零部件加工", ["轴承与传动件"]),
            ("数控装备与机器人", ["3421", "3491"], "数控装备、工业机器人、机床", ["精密零部件", "阀门与液压件"]),
        ],
    ),
    (
        "smart-decoration",
        "智能装饰",
        None,
        "链长制试点产业链（试点单位）",
        [
            ("装饰材料", ["2922"], "装饰材料、墙板、地板", []),
            ("智能照明", ["3872"], "智能照明、灯具", []),
            ("智能家居控制", ["3990"], "智能家居、智能控制", ["智能照明"]),
        ],
    ),
    (
        "integrated-home",
        "集成家居",
        None,
        "链长制试点产业链（试点单位）",
        [
            ("木材与人造板", ["2022"], "人造板、木业、地板", []),
            ("定制家具", ["2110"], "家具、橱柜、定制", ["木材与人造板"]),
            ("厨电与卫浴", ["3854"], "厨电、卫浴", []),
        ],
    ),
]

# Targets: chain slug → link → (Chinese name, English name, country, Fortune Global 500 rank, industry rank, note).
TARGETS: dict[str, dict[str, list[tuple[str, str, str, int | None, int | None, str]]]] = {
    "pv": {
        "多晶硅": [
            ("瓦克化学股份有限公司", "Wacker Chemie AG", "DE", None, 3, "多晶硅全球前列（演示）"),
            ("OCI株式会社", "OCI Company Ltd.", "KR", None, 5, "多晶硅（演示）"),
            ("德山株式会社", "Tokuyama Corporation", "JP", None, 12, "（演示）"),
        ],
        "硅片": [("信越化学工业株式会社", "Shin-Etsu Chemical Co., Ltd.", "JP", None, 1, "硅片（演示）")],
        "电池片": [
            ("松下电器产业株式会社", "Panasonic", "JP", 131, None, "异质结电池技术（演示）"),
            ("韩华思路信株式会社", "Hanwha Q CELLS Co., Ltd.", "KR", None, 4, "（演示）"),
        ],
        "组件": [
            ("隆基（香港）贸易有限公司", "LONGi (HK) Trading Limited", "HK", None, 1, "已落户秀洲"),
            ("阿特斯阳光电力集团", "Canadian Solar Inc.", "CA", None, 5, "已落户秀洲"),
        ],
        "光伏玻璃": [("福莱特（香港）有限公司", "Flat (Hong Kong) Co., Limited", "HK", None, 2, "扩产，产能近翻番")],
        "边框与胶膜": [("三井化学株式会社", "Mitsui Chemicals, Inc.", "JP", None, 15, "光伏胶膜（演示）")],
        "逆变器": [
            ("施耐德电气公司", "Schneider Electric", "FR", 411, None, "（演示）"),
            ("SMA太阳能技术股份公司", "SMA Solar Technology AG", "DE", None, 6, "（演示）"),
            ("SolarEdge技术公司", "SolarEdge Technologies Inc.", "IL", None, 4, "（演示）"),
        ],
        "光伏电站": [("西门子股份公司", "Siemens", "DE", 70, None, "能源服务（演示）")],
    },
    "nev": {
        "动力电池": [("松下电器产业株式会社", "Panasonic", "JP", 131, None, "（演示）")],
        "电驱系统": [
            ("罗伯特·博世有限公司", "Bosch Group", "DE", 77, None, "（演示）"),
            ("采埃孚股份公司", "ZF Friedrichshafen", "DE", 266, None, "存量企业利润再投资"),
        ],
        "汽车电子": [
            ("株式会社电装", "Denso", "JP", 230, None, "（演示）"),
            ("大陆集团", "Continental", "DE", 205, None, "（演示）"),
        ],
        "整车": [
            ("丰田汽车公司", "Toyota Motor", "JP", 10, None, "（演示）"),
            ("本田技研工业株式会社", "Honda Motor", "JP", 34, None, "（演示）"),
        ],
    },
    "pan-semiconductor": {
        "半导体材料": [("默克集团", "Merck KGaA", "DE", None, 8, "电子材料（演示）")],
        "晶圆制造": [("三星电子株式会社", "Samsung Electronics", "KR", 15, None, "（演示）")],
        "封装测试": [("日月光投资控股股份有限公司", "ASE Technology Holding Co., Ltd.", "TW", None, 1, "（演示）")],
        "功率器件": [("英飞凌科技股份公司", "Infineon Technologies AG", "DE", None, 1, "（演示）")],
        "半导体设备及零部件": [
            ("东京电子株式会社", "Tokyo Electron Limited", "JP", None, 4, "（演示）"),
            ("应用材料公司", "Applied Materials, Inc.", "US", None, 1, "（演示）"),
        ],
        "光电与传感器件": [("鸿海精密工业股份有限公司", "Hon Hai Precision Industry", "TW", 23, None, "（演示）")],
    },
    "biomedicine": {
        "生物药": [
            ("罗氏集团", "Roche Group", "CH", 163, None, "（演示）"),
            ("云顶新耀医药科技有限公司", "Everest Medicines Limited", "KY", None, None, "当年签约、到资、开工、上市"),
        ],
        "创新药制剂": [("强生公司", "Johnson & Johnson", "US", 109, None, "（演示）")],
        "研发与临床服务": [("艾昆纬公司", "IQVIA Holdings Inc.", "US", None, 1, "（演示）")],
    },
    "eco-materials": {"环保涂料": [("阿克苏诺贝尔公司", "Akzo Nobel N.V.", "NL", None, 3, "（演示）")]},
    "health-food": {"营养与保健食品": [("雀巢公司", "Nestlé", "CH", 76, None, "（演示）")]},
    "frontier-materials": {
        "碳纤维与石墨烯": [("东丽株式会社", "Toray Industries, Inc.", "JP", None, 1, "（演示）")],
        "特种玻璃": [("圣戈班集团", "Saint-Gobain", "FR", 226, None, "（演示）")],
    },
    "comm-electronics": {"通信设备": [("三星电子株式会社", "Samsung Electronics", "KR", 15, None, "（演示）")]},
    "chemical-materials": {"合成树脂与工程塑料": [("巴斯夫欧洲公司", "BASF", "DE", 115, None, "（演示）")]},
    "electronic-info": {
        "计算机与智能终端": [
            ("鸿海精密工业股份有限公司", "Hon Hai Precision Industry", "TW", 23, None, "（演示）"),
            ("LG电子株式会社", "LG Electronics", "KR", 185, None, "（演示）"),
        ],
    },
    "precision-machinery": {
        "轴承与传动件": [("舍弗勒集团", "Schaeffler AG", "DE", None, 2, "（演示）")],
        "数控装备与机器人": [
            ("株式会社日立制作所", "Hitachi", "JP", 102, None, "（演示）"),
            ("发那科株式会社", "FANUC Corporation", "JP", None, 1, "（演示）"),
        ],
    },
    "smart-decoration": {"智能照明": [("昕诺飞控股公司", "Signify N.V.", "NL", None, 1, "（演示）")]},
    "integrated-home": {"厨电与卫浴": [("骊住株式会社", "LIXIL Corporation", "JP", None, 3, "（演示）")]},
}

# 秀洲's PV enterprises beyond the projects of the registry demo: existing foreign-invested enterprises.
XIUZHOU_PV = [
    ("嘉兴禾晶电池片科技有限公司", "3825", "电池片"),
    ("嘉兴秀光光伏组件有限公司", "3825", "组件"),
    ("嘉兴新塍光伏边框有限公司", "3252", "边框与胶膜"),
    ("嘉兴秀洲分布式光伏电站运营有限公司", "4416", "光伏电站"),
]

# Development zones (demo names; 5 in the province's integration), the county or zone unit they report to.
ZONES = [
    ("嘉兴经济技术开发区", "3304JK", True),
    ("嘉兴港区", "3304GQ", True),
    ("嘉善经济技术开发区", "330421", True),
    ("平湖经济技术开发区", "330482", True),
    ("海宁经济开发区", "330481", True),
    ("桐乡经济开发区", "330483", False),
    ("海盐经济开发区", "330424", False),
    ("嘉兴秀洲高新技术产业开发区", "330411", False),
    ("嘉兴南湖高新技术产业园区", "330402", False),
    ("浙江独山港经济开发区", "330482", False),
]
# The chain-leader system's pilots: Jiaxing's 4 pilot-demonstration units and 7 pilot units (the chains are the
# report's; the pairing with zones is the demo's).
PILOTS = [
    ("pan-semiconductor", "海宁经济开发区", ChainPilot.Level.DEMONSTRATION),
    ("eco-materials", "浙江独山港经济开发区", ChainPilot.Level.DEMONSTRATION),
    ("health-food", "平湖经济技术开发区", ChainPilot.Level.DEMONSTRATION),
    ("frontier-materials", "嘉兴港区", ChainPilot.Level.DEMONSTRATION),
    ("comm-electronics", "嘉兴秀洲高新技术产业开发区", ChainPilot.Level.PILOT),
    ("nev", "嘉兴经济技术开发区", ChainPilot.Level.PILOT),
    ("chemical-materials", "嘉兴港区", ChainPilot.Level.PILOT),
    ("electronic-info", "嘉兴南湖高新技术产业园区", ChainPilot.Level.PILOT),
    ("precision-machinery", "海盐经济开发区", ChainPilot.Level.PILOT),
    ("smart-decoration", "桐乡经济开发区", ChainPilot.Level.PILOT),
    ("integrated-home", "嘉善经济技术开发区", ChainPilot.Level.PILOT),
]
PILOT_YEAR = 2020
# International industrial-cooperation parks, one per county (demo names), with partner countries and chains.
COOPERATION_PARKS = [
    ("中德（嘉兴）产业合作园", "3304JK", ["DE"], ["nev", "precision-machinery"]),
    ("中荷（秀洲）产业合作园", "330411", ["NL"], ["pv", "smart-decoration"]),
    ("中新嘉善现代产业园", "330421", ["SG"], ["biomedicine", "comm-electronics"]),
    ("中日（平湖）产业合作园", "330482", ["JP"], ["health-food", "precision-machinery"]),
    ("中韩（海宁）产业合作园", "330481", ["KR"], ["pan-semiconductor"]),
    ("中意（桐乡）产业合作园", "330483", ["IT"], ["smart-decoration"]),
    ("中法（海盐）产业合作园", "330424", ["FR"], ["precision-machinery"]),
    ("中美（南湖）产业合作园", "330402", ["US"], ["electronic-info", "biomedicine"]),
]
# The report's 12 high-level industrial-ecology parks (demo names).
ECOLOGY_PARKS = [
    ("秀洲光伏产业生态园", "330411", ["pv"]),
    ("嘉善生物医药产业生态园", "330421", ["biomedicine"]),
    ("海宁泛半导体产业生态园", "330481", ["pan-semiconductor"]),
    ("嘉兴经开区汽车零部件产业生态园", "3304JK", ["nev"]),
    ("嘉兴港区化工新材料产业生态园", "3304GQ", ["chemical-materials", "frontier-materials"]),
    ("平湖健康食品产业生态园", "330482", ["health-food"]),
    ("海盐精密机械产业生态园", "330424", ["precision-machinery"]),
    ("桐乡智能装饰产业生态园", "330483", ["smart-decoration"]),
    ("南湖电子信息产业生态园", "330402", ["electronic-info"]),
    ("嘉善集成家居产业生态园", "330421", ["integrated-home"]),
    ("秀洲通信电子产业生态园", "330411", ["comm-electronics"]),
    ("独山港环保新材料产业生态园", "330482", ["eco-materials"]),
]
OTHER_PLATFORMS = [
    ("中国（嘉兴）跨境电子商务综合试验区", None, Platform.Kind.CBEC),
    ("浙江自贸试验区嘉兴联动创新区", None, Platform.Kind.FTZ_LINKAGE),
]
# City-level chain leaders of the four headline chains (titles only), and the pilot zones' own leaders.
CITY_LEADERS = {
    "pv": "市长",
    "nev": "市委书记",
    "pan-semiconductor": "市委副书记",
    "biomedicine": "分管副市长",
}
ZONE_LEADER_TITLES = {
    "3304JK": "经开区党工委书记",
    "3304GQ": "港区党工委书记",
    "330421": "嘉善县委书记",
    "330482": "平湖市委书记",
    "330481": "海宁市委书记",
    "330483": "桐乡市委书记",
    "330424": "海盐县委书记",
    "330411": "秀洲区委书记",
    "330402": "南湖区委书记",
}


def _credit_code(region: str, serial: int) -> str:
    body = f"{7300000 + serial:08d}"
    code17 = f"91{region}{body}{org_code_check(body)}"
    return code17 + uscc.calc_check_digit(code17)


def build_chains(*, actor: Any) -> dict[str, int]:
    """Build the chain map into a database that holds the registry demo (units, industries, projects)."""
    for code, name in INDUSTRIES:
        ps.industry_upsert(code=code, name=name)
    units = {u.code: u for u in Unit.objects.all()}
    chains: dict[str, Chain] = {}
    links: dict[tuple[str, str], ChainLink] = {}
    for order, (slug, name, focus, description, link_specs) in enumerate(CHAINS, start=1):
        chain = cs.chain_upsert(
            slug=slug,
            name=name,
            description=description,
            focus_industry=FocusIndustry.objects.filter(slug=focus).first() if focus else None,
            sort_order=order,
            actor=actor,
        )
        chains[slug] = chain
        for position, (link_name, codes, keywords, _upstream) in enumerate(link_specs, start=1):
            links[slug, link_name] = cs.link_upsert(
                chain=chain, name=link_name, position=position, industry_codes=codes, keywords=keywords, actor=actor
            )
        # Edges once every link exists: a supporting link (PV glass) listed after the one it feeds (modules).
        for link_name, _codes, _keywords, upstream in link_specs:
            if upstream:
                cs.link_set_upstream(
                    link=links[slug, link_name], upstream=[links[slug, u] for u in upstream], actor=actor
                )
    countries = {c.code: c for c in Country.objects.all()}
    for slug, by_link in TARGETS.items():
        for link_name, rows in by_link.items():
            for name, name_en, country, f500, rank, note in rows:
                cs.target_add(
                    link=links[slug, link_name],
                    name=name,
                    name_en=name_en,
                    country=countries[country],
                    fortune500_rank=f500,
                    industry_rank=rank,
                    note=note,
                    actor=actor,
                )
    xiuzhou = units["330411"]
    for serial, (name, industry, _link) in enumerate(XIUZHOU_PV, start=1):
        if not Enterprise.objects.filter(name=name).exists():
            ps.enterprise_create(
                name=name,
                unit=xiuzhou,
                credit_code=_credit_code("330411", serial),
                industry=Industry.objects.get(code=industry),
                is_new=False,
                established_on=date(2012 + serial, 3, 1),
                actor=actor,
            )
    # Suggestions for every chain; the bureau confirms those that match on both the industry code and a keyword,
    # and, for the PV chain, the named 秀洲 enterprises and those above in the link they were written for.
    confirmed = 0
    named = {"隆基": "组件", "阿特斯": "组件", "福莱特": "光伏玻璃"}
    pv_placed = {name: link for name, _code, link in XIUZHOU_PV}
    for slug, chain in chains.items():
        for placement in cs.chain_suggest(chain=chain, actor=actor):
            enterprise = placement.enterprise
            wanted = pv_placed.get(enterprise.name) or next(
                (link for key, link in named.items() if key in enterprise.name and enterprise.unit.code == "330411"),
                None,
            )
            if slug == "pv" and wanted is not None and placement.link.name != wanted:
                cs.placement_reject(placement=placement, actor=actor, reason=f"属于“{wanted}”环节")
            elif (slug == "pv" and wanted is not None) or placement.score >= 4:
                cs.placement_confirm(placement=placement, actor=actor)
                confirmed += 1
    # Platforms, pilots and leaders.
    zones = {}
    for name, unit, integrated in ZONES:
        zones[name] = cs.platform_upsert(
            name=name, kind=Platform.Kind.ZONE, unit=units[unit], in_provincial_integration=integrated, actor=actor
        )
    for slug, zone, level in PILOTS:
        cs.pilot_set(chain=chains[slug], platform=zones[zone], level=level, year=PILOT_YEAR, actor=actor)
        platform = zones[zone]
        cs.leader_set(
            chain=chains[slug],
            title=ZONE_LEADER_TITLES[platform.unit.code],  # type: ignore[union-attr]
            unit=platform.unit,
            platform=platform,
            actor=actor,
        )
    for name, unit, partners, slugs in COOPERATION_PARKS:
        cs.platform_upsert(
            name=name,
            kind=Platform.Kind.COOPERATION_PARK,
            unit=units[unit],
            partner_countries=[countries[c] for c in partners],
            chains=[chains[s] for s in slugs],
            actor=actor,
        )
    for name, unit, slugs in ECOLOGY_PARKS:
        cs.platform_upsert(
            name=name, kind=Platform.Kind.ECOLOGY_PARK, unit=units[unit], chains=[chains[s] for s in slugs], actor=actor
        )
    for name, _unit, kind in OTHER_PLATFORMS:
        cs.platform_upsert(name=name, kind=kind, actor=actor)
    for slug, title in CITY_LEADERS.items():
        cs.leader_set(chain=chains[slug], title=title, actor=actor)
    cs.leader_set(chain=chains["pv"], title="秀洲区委书记", unit=xiuzhou, actor=actor)
    cs.leader_set(chain=chains["pv"], title="秀洲区分管副区长", unit=xiuzhou, role=ChainLeader.Role.DEPUTY, actor=actor)
    return {
        "chains": len(chains),
        "links": len(links),
        "confirmed": confirmed,
        "suggested": LinkEnterprise.objects.filter(status=LinkEnterprise.Status.SUGGESTED).count(),
    }
