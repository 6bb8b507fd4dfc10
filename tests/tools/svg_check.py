#!/usr/bin/python3
"""svg_check.py DIR KPIS...: checks every KPI's chart pair in DIR
(ID.svg, ID.dark.svg): well-formed XML, an <svg> root with role="img",
width and height, a <title> whose text is one non-empty sentence naming
the chart, and at least one drawn path. Prints one line per problem and
exits 1 when there is any; prints "ok N" otherwise."""
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"


def check(path, problems):
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as e:
        problems.append(f"{path}: {e}")
        return None
    if root.tag != NS + "svg":
        problems.append(f"{path}: root is {root.tag}")
    if root.get("role") != "img":
        problems.append(f"{path}: no role=img")
    if not root.get("width") or not root.get("viewBox"):
        problems.append(f"{path}: no size")
    title = root.find(NS + "title")
    if title is None or not (title.text or "").strip().endswith("."):
        problems.append(f"{path}: no alt text title")
    if not list(root.iter(NS + "path")):
        problems.append(f"{path}: nothing drawn")
    return title.text if title is not None else None


def main():
    d, ids = sys.argv[1], sys.argv[2:]
    problems, n = [], 0
    for i in ids:
        light = check(f"{d}/{i}.svg", problems)
        dark = check(f"{d}/{i}.dark.svg", problems)
        if light != dark:
            problems.append(f"{i}: the two themes' alt texts differ")
        n += 2
    for p in problems:
        print(p)
    if problems:
        sys.exit(1)
    print(f"ok {n}")


if __name__ == "__main__":
    main()
