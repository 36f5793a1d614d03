"""The demo city: Hangzhou, its districts as service areas (simplified to boxes around each district)."""

CITY = "杭州 Hangzhou"
TIMEZONE = "Asia/Shanghai"
CENTRE = (120.155, 30.274)

# code: (name_zh, name_en, (min_lon, min_lat, max_lon, max_lat)) — approximate district extents.
DISTRICTS = {
    "shangcheng": ("上城区", "Shangcheng", (120.15, 30.22, 120.25, 30.30)),
    "gongshu": ("拱墅区", "Gongshu", (120.10, 30.28, 120.20, 30.37)),
    "xihu": ("西湖区", "Xihu", (120.02, 30.18, 120.16, 30.32)),
    "binjiang": ("滨江区", "Binjiang", (120.13, 30.15, 120.24, 30.22)),
    "xiaoshan": ("萧山区", "Xiaoshan", (120.20, 30.05, 120.40, 30.20)),
    "yuhang": ("余杭区", "Yuhang", (119.90, 30.25, 120.10, 30.45)),
    "linping": ("临平区", "Linping", (120.20, 30.37, 120.35, 30.48)),
    "qiantang": ("钱塘区", "Qiantang", (120.30, 30.25, 120.50, 30.35)),
}

STREETS = {
    "shangcheng": ["解放路", "庆春路", "望江路", "清泰街"],
    "gongshu": ["莫干山路", "湖墅南路", "大关路", "上塘路"],
    "xihu": ["文三路", "天目山路", "古墩路", "教工路"],
    "binjiang": ["江南大道", "滨盛路", "长河路", "网商路"],
    "xiaoshan": ["市心路", "金城路", "人民路", "北干路"],
    "yuhang": ["文一西路", "五常大道", "良睦路", "仓前街"],
    "linping": ["迎宾路", "世纪大道", "星光街", "藕花洲大街"],
    "qiantang": ["学源街", "文泽路", "青六路", "义蓬街"],
}


def district_polygon(code: str) -> dict:
    x0, y0, x1, y1 = DISTRICTS[code][2]
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def districts_multipolygon(codes: list[str]) -> dict:
    """The union of several districts (overlapping parts of a MultiPolygon would make it invalid)."""
    from shapely.geometry import mapping, shape
    from shapely.ops import unary_union

    return mapping(unary_union([shape(district_polygon(c)) for c in codes]))
