"""The demo's reference rates: written for the demo (illustrative, not an official publication), US$ per unit,
every month of 2019–2020 for each currency the demo's projects use, plus 人民币. Each currency's monthly values
stay within 5% of the yearly rate the demo records its projects and arrivals at (demo/facts.py RATES), so the
demo's own entries never raise a rate warning."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

SOURCE = "演示数据（自编，非官方公布）"

# currency → year → twelve monthly rates, January first.
MONTHLY: dict[str, dict[int, tuple[str, ...]]] = {
    "EUR": {
        2019: (
            "1.141",
            "1.135",
            "1.130",
            "1.124",
            "1.119",
            "1.129",
            "1.121",
            "1.112",
            "1.101",
            "1.105",
            "1.106",
            "1.111",
        ),
        2020: (
            "1.110",
            "1.091",
            "1.105",
            "1.088",
            "1.091",
            "1.126",
            "1.146",
            "1.183",
            "1.179",
            "1.176",
            "1.184",
            "1.186",
        ),
    },
    "JPY": {
        2019: (
            "0.00915",
            "0.00906",
            "0.00900",
            "0.00897",
            "0.00912",
            "0.00925",
            "0.00923",
            "0.00942",
            "0.00932",
            "0.00922",
            "0.00917",
            "0.00915",
        ),
        2020: (
            "0.00915",
            "0.00910",
            "0.00925",
            "0.00928",
            "0.00932",
            "0.00931",
            "0.00935",
            "0.00944",
            "0.00946",
            "0.00950",
            "0.00955",
            "0.00962",
        ),
    },
    "HKD": {
        2019: (
            "0.1275",
            "0.1274",
            "0.1274",
            "0.1275",
            "0.1274",
            "0.1277",
            "0.1280",
            "0.1275",
            "0.1276",
            "0.1276",
            "0.1278",
            "0.1283",
        ),
        2020: (
            "0.1285",
            "0.1286",
            "0.1287",
            "0.1290",
            "0.1290",
            "0.1290",
            "0.1290",
            "0.1290",
            "0.1290",
            "0.1290",
            "0.1290",
            "0.1290",
        ),
    },
    "CNY": {
        2019: (
            "0.1463",
            "0.1483",
            "0.1488",
            "0.1490",
            "0.1478",
            "0.1451",
            "0.1454",
            "0.1428",
            "0.1409",
            "0.1409",
            "0.1420",
            "0.1422",
        ),
        2020: (
            "0.1432",
            "0.1439",
            "0.1432",
            "0.1411",
            "0.1414",
            "0.1408",
            "0.1416",
            "0.1432",
            "0.1456",
            "0.1471",
            "0.1494",
            "0.1508",
        ),
    },
}


def demo_rates() -> list[tuple[str, date, Decimal]]:
    return [
        (currency, date(year, month, 1), Decimal(value))
        for currency, years in MONTHLY.items()
        for year, values in years.items()
        for month, value in enumerate(values, start=1)
    ]
