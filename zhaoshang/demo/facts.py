"""The facts the demo is built from, written by us: places, reference rows, and the figures it must reproduce.

Money in 万美元 (US$10,000) unless a name says 亿 (US$100m). The checks in tests/demo/test_demo.py state which
report figure each number serves.
"""

from datetime import date
from typing import Any

AS_OF = date(2020, 12, 31)
SEED = 20200930

# Jiaxing's actual use of foreign capital by month, all counted arrival kinds (shareholder loans excluded).
# 2020 Jan–Sep sums to 237,400 (23.74亿美元); 2019 Jan–Sep to 164,400 (16.44亿), so growth is +44.4%.
# 2020 H1 is 142,000 (14.2亿): third in Zhejiang behind Hangzhou and Ningbo.
CITY_MONTHLY_WAN = {
    2019: [15000, 12000, 19000, 18000, 20000, 22000, 19000, 19000, 20400, 18000, 17000, 23000],
    2020: [16000, 12000, 23000, 27000, 30000, 34000, 29000, 31000, 35400, 19000, 18000, 23000],
}
# Reinvested profits within the above; 2020 Jan–Sep sums to 46,000 (4.6亿 = 19.4% of 23.74亿).
REINVESTED_MONTHLY_WAN = {
    2019: [0, 0, 2000, 0, 0, 4000, 0, 0, 3000, 0, 0, 5000],
    2020: [0, 0, 5000, 6000, 7000, 8000, 5000, 6000, 9000, 3000, 3000, 6000],
}

PROVINCE = ("330000", "浙江省", "浙江")
CITIES = [
    ("330100", "杭州市", "杭州"),
    ("330200", "宁波市", "宁波"),
    ("330300", "温州市", "温州"),
    ("330400", "嘉兴市", "嘉兴"),
    ("330500", "湖州市", "湖州"),
    ("330600", "绍兴市", "绍兴"),
    ("330700", "金华市", "金华"),
    ("330800", "衢州市", "衢州"),
    ("330900", "舟山市", "舟山"),
    ("331000", "台州市", "台州"),
    ("331100", "丽水市", "丽水"),
]
COUNTIES = [
    ("330402", "南湖区", "南湖"),
    ("330411", "秀洲区", "秀洲"),
    ("330421", "嘉善县", "嘉善"),
    ("330424", "海盐县", "海盐"),
    ("330481", "海宁市", "海宁"),
    ("330482", "平湖市", "平湖"),
    ("330483", "桐乡市", "桐乡"),
]
# (code, name, short name, kind, county it lies in, share of the city's arrivals)
UNITS = [
    ("330402", "南湖区", "南湖区", "district", "330402", 9),
    ("330411", "秀洲区", "秀洲区", "district", "330411", 13),
    ("330421", "嘉善县", "嘉善县", "county", "330421", 15),
    ("330424", "海盐县", "海盐县", "county", "330424", 7),
    ("330481", "海宁市", "海宁市", "county_city", "330481", 11),
    ("330482", "平湖市", "平湖市", "county_city", "330482", 14),
    ("330483", "桐乡市", "桐乡市", "county_city", "330483", 10),
    ("3304JK", "嘉兴经济技术开发区", "嘉兴经开区", "zone", "330402", 14),
    ("3304GQ", "嘉兴港区", "嘉兴港区", "zone", "330482", 7),
]

# Other cities' cumulative actual use in 2020 (亿美元, 1–N月) and published growth (%), as provincial
# bulletins give them. Hangzhou Jan–May 26.6 (+33.5%) and full year 72 (+17.5%), Ningbo Jan–May 13.6
# (+5.4%), the province Jan–May 61.5 (+9.0%), Jan–Aug 99.7 (+11.0%) and full year 157.8 are published.
CITY_CUMULATIVE_2020 = {
    "330100": (
        [4.2, 7.5, 12.8, 19.6, 26.6, 33.0, 39.5, 45.0, 50.0, 55.6, 62.3, 72.0],
        [20.1, 18.0, 25.2, 30.3, 33.5, 28.4, 24.6, 21.5, 20.2, 19.0, 18.3, 17.5],
    ),
    "330200": (
        [2.6, 4.6, 7.4, 10.5, 13.6, 16.8, 18.9, 20.9, 22.6, 23.3, 23.9, 24.67],
        [2.0, -3.1, 1.5, 3.8, 5.4, 4.9, 2.2, 0.8, -0.6, -2.4, -3.9, -5.1],
    ),
}
# The remaining eight cities together, cumulative 2020 (亿美元), split by fixed shares with a steady growth.
OTHER_CITIES_CUMULATIVE_2020 = [2.0, 3.6, 5.6, 8.0, 10.5, 12.4, 13.0, 13.6, 16.9, 20.5, 24.8, 31.39]
OTHER_CITY_SHARES = {
    "330500": ("0.27", 12.5),
    "330600": ("0.25", 6.8),
    "330300": ("0.14", -4.2),
    "330700": ("0.12", 3.5),
    "331000": ("0.10", -1.8),
    "330900": ("0.06", 15.2),
    "330800": ("0.03", 22.0),
    "331100": ("0.03", -9.5),
}
# The province's own cumulative 2020 figures: published where known, otherwise the sum of its cities.
PROVINCE_PUBLISHED_2020 = {5: 61.5, 8: 99.7, 12: 157.8}
PROVINCE_GROWTH_2020 = [-8.0, -12.0, -2.5, 4.1, 9.0, 9.6, 10.2, 11.0, 9.3, 11.8, 13.5, 16.4]
# Projects of ≥ US$100m introduced by the other cities, 1–6月, 1–9月 and the year.
CITY_OVER_100M_2020 = {
    6: {
        "330100": 30,
        "330200": 29,
        "330500": 12,
        "330600": 11,
        "330300": 6,
        "330700": 5,
        "331000": 4,
        "330900": 2,
        "330800": 2,
        "331100": 1,
    },
    9: {
        "330100": 41,
        "330200": 39,
        "330500": 18,
        "330600": 17,
        "330300": 9,
        "330700": 8,
        "331000": 7,
        "330900": 4,
        "330800": 3,
        "331100": 2,
    },
    12: {
        "330100": 58,
        "330200": 52,
        "330500": 25,
        "330600": 23,
        "330300": 13,
        "330700": 11,
        "331000": 10,
        "330900": 6,
        "330800": 4,
        "331100": 3,
    },
}

FOCUS_INDUSTRIES = [
    ("new-energy", "新能源"),
    ("equipment", "高端装备"),
    ("ai", "人工智能"),
    ("aerospace", "航空航天"),
    ("health", "大健康"),
    ("big-data", "大数据"),
    ("materials", "新材料"),
    ("food", "高端食品"),
    ("semiconductor", "泛半导体"),
    ("nev", "新能源汽车"),
]

# GB/T 4754-2017 rows the demo uses (the full table is loaded with `zhaoshang import industries`).
INDUSTRIES = [
    ("C", "制造业"),
    ("F", "批发和零售业"),
    ("I", "信息传输、软件和信息技术服务业"),
    ("J", "金融业"),
    ("L", "租赁和商务服务业"),
    ("M", "科学研究和技术服务业"),
    ("14", "食品制造业"),
    ("1469", "其他调味品、发酵制品制造"),
    ("1491", "营养食品制造"),
    ("26", "化学原料和化学制品制造业"),
    ("2641", "涂料制造"),
    ("2651", "初级形态塑料及合成树脂制造"),
    ("27", "医药制造业"),
    ("2720", "化学药品制剂制造"),
    ("2761", "生物药品制造"),
    ("28", "化学纤维制造业"),
    ("2822", "涤纶纤维制造"),
    ("30", "非金属矿物制品业"),
    ("3042", "特种玻璃制造"),
    ("34", "通用设备制造业"),
    ("3443", "阀门和旋塞制造"),
    ("35", "专用设备制造业"),
    ("3562", "半导体器件专用设备制造"),
    ("36", "汽车制造业"),
    ("3612", "新能源车整车制造"),
    ("3670", "汽车零部件及配件制造"),
    ("37", "铁路、船舶、航空航天和其他运输设备制造业"),
    ("3744", "航空相关设备制造"),
    ("38", "电气机械和器材制造业"),
    ("3825", "光伏设备及元器件制造"),
    ("3841", "锂离子电池制造"),
    ("39", "计算机、通信和其他电子设备制造业"),
    ("3911", "计算机整机制造"),
    ("3973", "集成电路制造"),
    ("3976", "光电子器件制造"),
    ("65", "软件和信息技术服务业"),
    ("6520", "集成电路设计"),
    ("66", "货币金融服务"),
    ("6621", "商业银行服务"),
    ("68", "保险业"),
    ("6811", "人寿保险"),
    ("72", "商务服务业"),
    ("7212", "投资与资产管理"),
    ("73", "研究和试验发展"),
    ("7340", "医学研究和试验发展"),
]

# Per focus industry: GB/T 4754 classes and what the projects make.
SECTORS = {
    "new-energy": (["3825", "3841"], ["高效光伏组件", "异质结电池片", "储能电池", "氢燃料电池电堆"]),
    "semiconductor": (
        ["3973", "3562", "3976"],
        ["功率半导体", "集成电路封装测试", "半导体设备零部件", "MEMS传感器"],
    ),
    "nev": (["3670", "3612"], ["新能源汽车电驱系统", "汽车电子", "轻量化车身零部件", "智能座舱"]),
    "health": (["2761", "2720", "7340"], ["生物药", "创新药制剂", "医学研究中心", "高端医疗耗材"]),
    "materials": (["3042", "2641", "2651", "2822"], ["特种玻璃", "高性能涂料", "工程塑料", "差别化纤维"]),
    "equipment": (["3443", "3562"], ["精密机械", "工业机器人", "智能阀门", "数控装备"]),
    "aerospace": (["3744"], ["航空零部件", "航空发动机零件"]),
    "big-data": (["6520", "3911"], ["工业互联网平台", "数据中心", "芯片设计中心"]),
    "ai": (["6520"], ["人工智能研发中心", "机器视觉"]),
    "food": (["1491", "1469"], ["营养健康食品", "高端调味品", "功能饮料"]),
}

# Fortune Global 500 groups the demo's investors belong to: (list name, Chinese name, country, 2019 rank).
# Each was on the 2018, 2019 and 2020 lists; only the 2019 ranks are recorded here.
FORTUNE500 = [
    ("ZF Friedrichshafen", "采埃孚股份公司", "DE", 266),
    ("Siemens", "西门子股份公司", "DE", 70),
    ("BASF", "巴斯夫欧洲公司", "DE", 115),
    ("Bosch Group", "罗伯特·博世有限公司", "DE", 77),
    ("Continental", "大陆集团", "DE", 205),
    ("Toyota Motor", "丰田汽车公司", "JP", 10),
    ("Honda Motor", "本田技研工业株式会社", "JP", 34),
    ("Hitachi", "株式会社日立制作所", "JP", 102),
    ("Panasonic", "松下电器产业株式会社", "JP", 131),
    ("Denso", "株式会社电装", "JP", 230),
    ("Samsung Electronics", "三星电子株式会社", "KR", 15),
    ("LG Electronics", "LG电子株式会社", "KR", 185),
    ("Nestlé", "雀巢公司", "CH", 76),
    ("Roche Group", "罗氏集团", "CH", 163),
    ("Saint-Gobain", "圣戈班集团", "FR", 226),
    ("Schneider Electric", "施耐德电气公司", "FR", 411),
    ("Johnson & Johnson", "强生公司", "US", 109),
    ("Hon Hai Precision Industry", "鸿海精密工业股份有限公司", "TW", 23),
]
FORTUNE500_PUBLISHED = {2018: date(2018, 7, 19), 2019: date(2019, 7, 22), 2020: date(2020, 8, 10)}
# Subsidiaries through which some groups invest: (Chinese name, English name, country, parent list name).
SUBSIDIARIES = [
    ("博世（香港）投资有限公司", "Bosch Investment (Hong Kong) Limited", "HK", "Bosch Group"),
    ("三星（香港）有限公司", "Samsung Electronics Hong Kong Co., Ltd.", "HK", "Samsung Electronics"),
    ("丰田通商（新加坡）有限公司", "Toyota Motor Asia Pacific Pte. Ltd.", "SG", "Toyota Motor"),
    ("富士康（香港）有限公司", "Foxconn (Hong Kong) Limited", "HK", "Hon Hai Precision Industry"),
]

# Fortune Global 500 projects: (group or subsidiary list/English name, focus industry, unit, signing date,
# ≥ US$100m, kind). 10 in 2019; 19 in 2020 Jan–Sep, of which 9 from 2020-06-23 (the race) on.
FORTUNE500_PROJECTS = [
    ("Siemens", "equipment", "330482", date(2019, 2, 26), True, "new"),
    ("BASF", "materials", "3304GQ", date(2019, 3, 14), True, "increase"),
    ("Toyota Motor", "nev", "330483", date(2019, 4, 9), False, "new"),
    ("Hitachi", "equipment", "330424", date(2019, 5, 21), False, "new"),
    ("Samsung Electronics", "semiconductor", "330481", date(2019, 6, 18), True, "new"),
    ("Nestlé", "food", "330402", date(2019, 8, 6), False, "increase"),
    ("Bosch Investment (Hong Kong) Limited", "nev", "330421", date(2019, 9, 10), True, "new"),
    ("Denso", "nev", "3304JK", date(2019, 10, 15), False, "new"),
    ("Foxconn (Hong Kong) Limited", "semiconductor", "330411", date(2019, 11, 5), True, "new"),
    ("Saint-Gobain", "materials", "330482", date(2019, 12, 3), False, "mna"),
    # 2020, before the race
    ("Continental", "nev", "3304JK", date(2020, 1, 14), True, "new"),
    ("Honda Motor", "nev", "330483", date(2020, 2, 25), False, "increase"),
    ("ZF Friedrichshafen", "nev", "3304JK", date(2020, 3, 18), False, "reinvest"),
    ("Panasonic", "new-energy", "330421", date(2020, 3, 31), True, "new"),
    ("LG Electronics", "equipment", "330481", date(2020, 4, 16), True, "new"),
    ("Schneider Electric", "equipment", "330482", date(2020, 5, 12), True, "new"),
    ("ZF Friedrichshafen", "nev", "3304JK", date(2020, 5, 20), False, "reinvest"),
    ("Roche Group", "health", "330421", date(2020, 6, 2), True, "new"),
    ("Bosch Investment (Hong Kong) Limited", "nev", "330421", date(2020, 6, 10), True, "increase"),
    ("Samsung Electronics Hong Kong Co., Ltd.", "semiconductor", "330481", date(2020, 6, 19), False, "new"),
    # 2020, during the race (2020-06-23 to 2020-09-30)
    ("Johnson & Johnson", "health", "330402", date(2020, 6, 29), False, "new"),
    ("Toyota Motor Asia Pacific Pte. Ltd.", "nev", "330483", date(2020, 7, 8), True, "new"),
    ("Hitachi", "equipment", "3304GQ", date(2020, 7, 21), False, "increase"),
    ("Saint-Gobain", "materials", "330424", date(2020, 8, 4), True, "new"),
    ("Siemens", "equipment", "330482", date(2020, 8, 18), True, "increase"),
    ("Denso", "nev", "3304JK", date(2020, 8, 27), False, "new"),
    ("Nestlé", "food", "330402", date(2020, 9, 8), True, "new"),
    ("BASF", "materials", "3304GQ", date(2020, 9, 16), True, "increase"),
    ("Foxconn (Hong Kong) Limited", "semiconductor", "330411", date(2020, 9, 24), False, "new"),
    # after the report's period
    ("Panasonic", "new-energy", "330421", date(2020, 11, 12), False, "increase"),
]

# How many other projects of ≥ US$100m to add in each window so that, with the Fortune Global 500 and
# named ones, 2020 Jan–Jun has 32 and Jan–Sep 46 (14 in Q3).
BIG_GENERIC = {
    (date(2018, 3, 1), date(2018, 12, 31)): 6,
    (date(2019, 1, 1), date(2019, 12, 31)): 24,
    (date(2020, 1, 1), date(2020, 6, 30)): 23,
    (date(2020, 7, 1), date(2020, 9, 30)): 8,
    (date(2020, 10, 1), date(2020, 12, 20)): 8,
}

LEADER_TITLES = {
    "330402": ["南湖区委书记", "南湖区区长", "南湖区分管副区长"],
    "330411": ["秀洲区委书记", "秀洲区区长", "秀洲区分管副区长"],
    "330421": ["嘉善县委书记", "嘉善县县长", "嘉善县分管副县长"],
    "330424": ["海盐县委书记", "海盐县县长", "海盐县分管副县长"],
    "330481": ["海宁市委书记", "海宁市市长", "海宁市分管副市长"],
    "330482": ["平湖市委书记", "平湖市市长", "平湖市分管副市长"],
    "330483": ["桐乡市委书记", "桐乡市市长", "桐乡市分管副市长"],
    "3304JK": ["经开区党工委书记", "经开区管委会主任", "经开区分管副主任"],
    "3304GQ": ["港区党工委书记", "港区管委会主任", "港区分管副主任"],
}
CITY_LEADERS = ["市长", "分管副市长"]

DEMO_PASSWORD = "zhaoshang2020"  # noqa: S105  (the demo's published sign-in; never used outside the demo data)
# (username, full name, role, unit code or None)
DEMO_USERS = [
    ("admin", "外资处管理员", "city_admin", None),
    ("mayor", "市领导", "leader", None),
    ("auditor", "审计员", "auditor", None),
    ("verifier", "外资处认定员", "verifier", None),
    ("nanhu", "南湖区招商专员", "unit_staff", "330402"),
    ("xiuzhou", "秀洲区招商专员", "unit_staff", "330411"),
    ("jiashan", "嘉善县招商专员", "unit_staff", "330421"),
    ("haiyan", "海盐县招商专员", "unit_staff", "330424"),
    ("haining", "海宁市招商专员", "unit_staff", "330481"),
    ("pinghu", "平湖市招商专员", "unit_staff", "330482"),
    ("tongxiang", "桐乡市招商专员", "unit_staff", "330483"),
    ("jingkai", "经开区招商专员", "unit_staff", "3304JK"),
    ("gangqu", "港区招商专员", "unit_staff", "3304GQ"),
]

# Rates recorded for the demo's non-dollar amounts (US$ per unit), by year.
RATES = {
    "EUR": {2017: "1.13", 2018: "1.18", 2019: "1.12", 2020: "1.14"},
    "JPY": {2017: "0.00891", 2018: "0.00906", 2019: "0.00917", 2020: "0.00937"},
    "HKD": {2017: "0.1284", 2018: "0.1276", 2019: "0.1277", 2020: "0.1289"},
}
COUNTRY_CURRENCY = {"DE": "EUR", "FR": "EUR", "NL": "EUR", "JP": "JPY", "HK": "HKD"}

# Word stock for the synthetic investors' names, by country: (Chinese, romanised/English).
NAME_WORDS = [
    ("恒信", "Hengxin"),
    ("瑞丰", "Ruifeng"),
    ("嘉禾", "Jiahe"),
    ("信达", "Xinda"),
    ("永昌", "Yongchang"),
    ("华茂", "Huamao"),
    ("宏基", "Hongji"),
    ("联合", "Union"),
    ("远航", "Voyage"),
    ("明德", "Mingde"),
    ("东方", "Oriental"),
    ("太平洋", "Pacific"),
    ("万通", "Wantong"),
    ("富森", "Fusen"),
    ("天成", "Tiancheng"),
    ("星辰", "Stellar"),
    ("蓝海", "Blue Ocean"),
    ("金桥", "Golden Bridge"),
    ("启明", "Qiming"),
    ("鼎盛", "Dingsheng"),
    ("凯德", "Kaide"),
    ("安泰", "Antai"),
    ("泰和", "Taihe"),
    ("长青", "Evergreen"),
    ("博远", "Boyuan"),
    ("三和", "Sanwa"),
    ("大和", "Daiwa"),
    ("北辰", "Hokushin"),
    ("高丽", "Koryo"),
    ("汉城", "Hanseong"),
    ("莱茵", "Rhein"),
    ("阿尔卑斯", "Alpen"),
    ("北海", "Nordsee"),
    ("橡树", "Oak"),
    ("枫叶", "Maple"),
]
COUNTRY_FORMS = {
    "HK": ("（香港）控股有限公司", " (Hong Kong) Holdings Limited"),
    "SG": ("（新加坡）私人有限公司", " (Singapore) Pte. Ltd."),
    "TW": ("（台湾）股份有限公司", " (Taiwan) Co., Ltd."),
    "JP": ("株式会社", " Co., Ltd."),
    "KR": ("（韩国）株式会社", " Korea Co., Ltd."),
    "US": ("（美国）公司", " Inc."),
    "DE": ("（德国）股份公司", " GmbH"),
    "FR": ("（法国）公司", " SAS"),
    "NL": ("（荷兰）控股公司", " Holding B.V."),
    "CH": ("（瑞士）股份公司", " AG"),
    "GB": ("（英国）有限公司", " (UK) Limited"),
    "VG": ("（英属维尔京）投资有限公司", " Investment (BVI) Limited"),
    "KY": ("（开曼）控股有限公司", " Holdings (Cayman) Limited"),
    "IT": ("（意大利）有限公司", " S.r.l."),
    "AU": ("（澳大利亚）有限公司", " Pty Ltd"),
    "CA": ("（加拿大）公司", " Corp."),
    "IL": ("（以色列）有限公司", " Ltd."),
}
# Weights for the synthetic investors' origin, roughly the pattern of Zhejiang's FDI sources.
COUNTRY_WEIGHTS = {
    "HK": 46,
    "SG": 8,
    "TW": 6,
    "JP": 8,
    "KR": 5,
    "US": 6,
    "DE": 6,
    "FR": 2,
    "NL": 2,
    "CH": 2,
    "GB": 2,
    "VG": 4,
    "KY": 2,
    "IT": 1,
    "AU": 1,
    "CA": 1,
    "IL": 1,
}

DROP_REASONS = [
    "投资方全球战略调整，项目暂停",
    "项目最终落户其他城市",
    "受疫情影响，投资方暂缓海外投资",
    "用地指标与项目需求不匹配",
    "投资方融资未落实",
]

# 2020 annual targets for actual use (万美元): the city's 32亿, so that at the end of June (14.2亿, 44.4%) the city
# had not reached "half the time, half the task", as the report says, and by September (74.2%) had nearly caught up.
TARGETS_2020_WAN = {
    None: 320000,
    "330402": 28000,
    "330411": 42000,
    "330421": 50000,
    "330424": 22000,
    "330481": 35000,
    "330482": 45000,
    "330483": 33000,
    "3304JK": 45000,
    "3304GQ": 20000,
}

# The 2020 100-day race (利用外资百日竞赛): about 2020-06-23 to 2020-09-30 between the 9 units, against Ningbo.
RACE = {
    "slug": "fdi-100-days-2020",
    "name": "2020年利用外资百日竞赛",
    "start": date(2020, 6, 23),
    "end": date(2020, 9, 30),
    "rival": "330200",
    # (indicator, weight), in tie-break order
    "indicators": [
        ("actual_use_usd", 50),
        ("projects_over_100m", 25),
        ("fortune500_projects", 15),
        ("new_projects", 10),
    ],
}
# Each unit's race targets: actual use (万美元, the months June–September), projects ≥ US$100m,
# Fortune Global 500 projects, new projects. Set by the bureau from each unit's share and its ambition.
RACE_TARGETS = {
    "330402": (11000, 1, 1, 3),
    "330411": (17000, 2, 1, 4),
    "330421": (20000, 3, 1, 5),
    "330424": (9000, 1, 1, 2),
    "330481": (15000, 2, 1, 3),
    "330482": (18000, 2, 1, 4),
    "330483": (14000, 2, 1, 3),
    "3304JK": (19000, 2, 1, 4),
    "3304GQ": (9000, 1, 1, 2),
}


# Verification (认定): in the demo every claim needs the city's verification, and the whole history up to the
# as-of date was verified by the 认定员 — so every figure of the report is the same on both calibers. A handful of
# claims made in October–December 2020 are still waiting, and two were returned to their units with the reason.
# (investor, month, US$ 万, arrival type, what happens to the claim: "pending" or the reason it was returned)
LATE_CLAIMS = [
    ("Everest Medicines Limited", date(2020, 10, 1), 1200, "paid_in", "pending"),
    ("ZF Friedrichshafen", date(2020, 11, 1), 800, "reinvested_profit", "pending"),
    # a capital increase: the project already has November's paid-in capital, and a month holds one record per type
    (
        "LONGi (HK) Trading Limited",
        date(2020, 11, 1),
        1500,
        "capital_increase",
        "进账单金额与填报不符，请核对后重新提交",
    ),
    ("Flat (Hong Kong) Co., Limited", date(2020, 12, 1), 600, "capital_increase", "缺少银行进账单"),
]

# Project statuses set in the last quarter of 2020 (never before): unit, status, date, reason, what it asks for. Each
# falls on the unit's first project still under negotiation.
LATE_STATUSES: list[tuple[str, str, date, str, dict[str, Any]]] = [
    ("330402", "delayed", date(2020, 10, 20), "投资方董事会推迟审议", {"expected_on": date(2021, 3, 31)}),
    ("330411", "stalled", date(2020, 11, 5), "用地指标尚未落实", {"obstacle": "land"}),
    ("330481", "lost", date(2020, 12, 8), "投资方选择落户苏州", {"destination": "江苏苏州"}),
]
