"""Build assets/map/theatre.json, the board's map of Europe-to-Japan, from Natural Earth.

Reproduce the committed asset exactly (Python stdlib only, plus npm to fetch the data):

    (cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz)
    python tools/build_map.py /tmp/package/countries-50m.json      # from the repo root

(sha256 of countries-50m.json: 04342cdc1e3016bcd7db1630de95684d67b79fe3c8c460321e87aef469502394.)
Neither the tarball nor node_modules belongs in git.

world-atlas 2.0.2 is Natural Earth 4.1.0 admin-0 countries (public domain) as TopoJSON
(see assets/map/LICENSE.md). Steps: decode the TopoJSON arcs; project every arc with the
board's projection (game.board.geo.DEFAULT_PROJECTION, shared so markers land where the
coastlines are); simplify each shared arc once (Douglas-Peucker, in km) so neighbours keep
a common border; stitch rings; clip them to the 16:9 map frame; drop specks; round to whole
km; write one country per line. Crimea is drawn as Ukraine (see CRIMEA_PROBE).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from game.board.geo import DEFAULT_PROJECTION, point_in_rings  # noqa: E402

Pt = tuple[float, float]

OUT = REPO / "assets" / "map" / "theatre.json"
SOURCE = "Natural Earth 4.1.0 admin-0 countries, 1:50m, via npm world-atlas@2.0.2"

# The frame is chosen in the projected plane, not as a lon/lat box: it must show these points
# (west coast of Portugal and Ireland, North Cape, Cyprus, Kyushu, eastern Hokkaido, northern
# Sakhalin), padded, then widened or heightened to 16:9 around their centre. A 16:9 rectangle
# is what a projector shows, and the conic's fan means the corners hold North Africa and the
# South China Sea; that is land and sea that reads as a map, not empty paper.
FRAME_MUST_SHOW: tuple[Pt, ...] = (
    (-10.5, 38.7),  # Cabo da Roca, Portugal
    (-6.0, 36.0),  # Strait of Gibraltar
    (-10.5, 52.0),  # west coast of Ireland
    (25.8, 71.2),  # North Cape, Norway
    (24.0, 34.8),  # Crete
    (33.0, 34.6),  # Cyprus
    (70.0, 73.5),  # Yamal peninsula
    (130.6, 31.0),  # southern Kyushu
    (140.9, 35.7),  # Boso peninsula, east of Tokyo
    (145.8, 43.4),  # eastern Hokkaido
    (142.7, 54.4),  # northern Sakhalin
)
FRAME_PAD_KM = 200.0
FRAME_ASPECT = 16.0 / 9.0
# The frame holds the must-show points with spare height; the spare goes this share to the
# south (India, the Gulf, the Yellow Sea) and the rest to the Arctic Ocean in the north.
FRAME_SPARE_SOUTH = 0.6

# Simplification tolerance and speck filter, in km. The frame is ~12 000 km wide, so a
# 1920 px board shows ~6 km per pixel and a 4K one ~3; 1.5 km keeps coastlines right in a
# zoomed inset too (Kursk, Korea) and the asset at ~240 KiB (2.5 km: ~180 KiB).
TOLERANCE_KM = 1.5
MIN_RING_AREA_KM2 = 150.0
# Rings further than this from the central meridian are on the back of the globe (the
# Americas): they are dropped before projecting, so no ring wraps across the cut.
MAX_DLON = 150.0

# Crimea: Natural Earth 4.1.0 draws it as part of Russia (its de facto policy), while it
# draws the parts of Ukraine that Russia claimed in 2022 as Ukraine. The board follows the
# internationally recognised border (UN General Assembly resolution 68/262): by default the
# Crimean ring is moved to Ukraine; `--crimea russia` keeps Natural Earth's depiction. The
# ring is found by this point inside it (Simferopol).
CRIMEA_PROBE: Pt = (34.10, 44.95)

# Places: public coordinates (decimal degrees, WGS 84) of city centres, as given in common
# gazetteers (GeoNames / Wikipedia infoboxes), rounded to 0.01 degree.
PLACES: tuple[tuple[str, str, float, float], ...] = (
    # id, name, lon, lat
    ("kursk", "Kursk", 36.19, 51.73),
    ("sudzha", "Sudzha", 35.27, 51.19),  # town at the heart of the 2024 Kursk salient
    ("moscow", "Moscow", 37.62, 55.76),
    ("kyiv", "Kyiv", 30.52, 50.45),
    ("warsaw", "Warsaw", 21.01, 52.23),
    ("berlin", "Berlin", 13.40, 52.52),
    ("brussels", "Brussels", 4.35, 50.85),
    ("beijing", "Beijing", 116.41, 39.90),
    ("pyongyang", "Pyongyang", 125.76, 39.04),
    ("seoul", "Seoul", 126.98, 37.57),
    ("rason", "Rason (Rajin)", 130.30, 42.25),  # port of the 2024 arms shipments to Russia
    ("vladivostok", "Vladivostok", 131.89, 43.12),
    ("tokyo", "Tokyo", 139.69, 35.69),
)

# ISO 3166-1 numeric -> alpha-3 for every country that can fall inside the frame
# (world-atlas carries only the numeric id and a short name). Kosovo has no ISO code;
# XKX is the code the EU and the IMF use for it.
_ISO3_TABLE = """
    004 AFG  008 ALB  012 DZA  020 AND  031 AZE  040 AUT  048 BHR  050 BGD
    051 ARM  056 BEL  064 BTN  070 BIH  100 BGR  104 MMR  112 BLR  144 LKA
    148 TCD  156 CHN  158 TWN  191 HRV  196 CYP  203 CZE  204 BEN  208 DNK
    233 EST  234 FRO  246 FIN  248 ALA  250 FRA  268 GEO  275 PSE  276 DEU
    292 GIB  300 GRC  304 GRL  336 VAT  344 HKG  348 HUN  352 ISL  356 IND
    364 IRN  368 IRQ  372 IRL  376 ISR  380 ITA  392 JPN  398 KAZ  400 JOR
    408 PRK  410 KOR  414 KWT  417 KGZ  418 LAO  422 LBN  428 LVA  434 LBY
    438 LIE  440 LTU  442 LUX  446 MAC  462 MDV  466 MLI  470 MLT  478 MRT
    492 MCO  496 MNG  498 MDA  499 MNE  504 MAR  512 OMN  524 NPL  528 NLD
    562 NER  566 NGA  578 NOR  586 PAK  608 PHL  616 POL  620 PRT  634 QAT
    642 ROU  643 RUS  674 SMR  682 SAU  688 SRB  703 SVK  704 VNM  705 SVN
    724 ESP  729 SDN  744 SJM  752 SWE  756 CHE  760 SYR  762 TJK  764 THA
    784 ARE  788 TUN  792 TUR  795 TKM  804 UKR  807 MKD  818 EGY  826 GBR
    831 GGY  832 JEY  833 IMN  854 BFA  860 UZB  887 YEM
"""
ISO3: dict[str, str] = dict(re.findall(r"(\d{3}) ([A-Z]{3})", _ISO3_TABLE)) | {"Kosovo": "XKX"}


# --------------------------------------------------------------------------------------------
# TopoJSON decoding
# --------------------------------------------------------------------------------------------


def decode_arcs(topo: dict[str, Any]) -> list[list[Pt]]:
    """Absolute lon/lat of every arc: undo the delta encoding, then apply the transform."""
    tf = topo.get("transform")
    sx, sy = tf["scale"] if tf else (1.0, 1.0)
    tx, ty = tf["translate"] if tf else (0.0, 0.0)
    arcs: list[list[Pt]] = []
    for arc in topo["arcs"]:
        x = y = 0
        pts: list[Pt] = []
        for pos in arc:
            if tf:
                x += pos[0]
                y += pos[1]
                pts.append((x * sx + tx, y * sy + ty))
            else:
                pts.append((float(pos[0]), float(pos[1])))
        arcs.append(pts)
    return arcs


def arc_points(arcs: Sequence[Sequence[Pt]], index: int) -> list[Pt]:
    """An arc by TopoJSON index: ``~i`` (i.e. ``-i - 1``) means arc ``i`` reversed."""
    return list(arcs[index]) if index >= 0 else list(reversed(arcs[~index]))


def stitch(arcs: Sequence[Sequence[Pt]], indices: Iterable[int]) -> list[Pt]:
    """Join arcs into one ring; consecutive arcs share their joining point, kept once."""
    ring: list[Pt] = []
    for i in indices:
        pts = arc_points(arcs, i)
        ring.extend(pts[1:] if ring else pts)
    return ring


def polygons_of(geometry: dict[str, Any]) -> list[list[list[int]]]:
    """A geometry's polygons, each a list of rings, each a list of arc indices."""
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["arcs"]]
    if kind == "MultiPolygon":
        return list(geometry["arcs"])
    return []


# --------------------------------------------------------------------------------------------
# Geometry
# --------------------------------------------------------------------------------------------


def _seg_dist2(p: Pt, a: Pt, b: Pt) -> float:
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    px, py = p[0] - ax, p[1] - ay
    len2 = dx * dx + dy * dy
    if len2 == 0.0:
        return px * px + py * py
    t = max(0.0, min(1.0, (px * dx + py * dy) / len2))
    ex, ey = px - t * dx, py - t * dy
    return ex * ex + ey * ey


def douglas_peucker(pts: Sequence[Pt], tol: float) -> list[Pt]:
    """Douglas-Peucker with an explicit stack; both end points are always kept."""
    n = len(pts)
    if n < 3:
        return list(pts)
    keep = [False] * n
    keep[0] = keep[-1] = True
    tol2 = tol * tol
    stack = [(0, n - 1)]
    while stack:
        first, last = stack.pop()
        best, best_i = -1.0, -1
        for i in range(first + 1, last):
            d = _seg_dist2(pts[i], pts[first], pts[last])
            if d > best:
                best, best_i = d, i
        if best > tol2:
            keep[best_i] = True
            stack.append((first, best_i))
            stack.append((best_i, last))
    return [p for p, k in zip(pts, keep, strict=True) if k]


def clip_ring(ring: Sequence[Pt], box: tuple[float, float, float, float]) -> list[Pt]:
    """Sutherland-Hodgman clip of a ring to an axis-aligned box (fine for filled drawing)."""
    minx, miny, maxx, maxy = box
    out = list(ring)
    for axis, limit, keep_above in (
        (0, minx, True),
        (0, maxx, False),
        (1, miny, True),
        (1, maxy, False),
    ):
        out = _clip_side(out, axis, limit, keep_above)
    return out


def _clip_side(pts: list[Pt], axis: int, limit: float, keep_above: bool) -> list[Pt]:
    def inside(p: Pt) -> bool:
        return p[axis] >= limit if keep_above else p[axis] <= limit

    def cut(a: Pt, b: Pt) -> Pt:
        t = (limit - a[axis]) / (b[axis] - a[axis])
        other = 1 - axis
        v = a[other] + t * (b[other] - a[other])
        return (limit, v) if axis == 0 else (v, limit)

    out: list[Pt] = []
    if not pts:
        return out
    prev = pts[-1]
    for cur in pts:
        if inside(cur):
            if not inside(prev):
                out.append(cut(prev, cur))
            out.append(cur)
        elif inside(prev):
            out.append(cut(prev, cur))
        prev = cur
    return out


def ring_area(ring: Sequence[Sequence[float]]) -> float:
    """Absolute shoelace area."""
    s = 0.0
    for i in range(len(ring)):
        x1, y1 = ring[i - 1]
        x2, y2 = ring[i]
        s += x1 * y2 - x2 * y1
    return abs(s) / 2.0


def round_ring(ring: Sequence[Pt]) -> list[list[int]]:
    """Whole km, with consecutive duplicates and the closing repeat dropped."""
    out: list[list[int]] = []
    for x, y in ring:
        p = [round(x), round(y)]
        if not out or out[-1] != p:
            out.append(p)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


# --------------------------------------------------------------------------------------------
# Frame, countries, places
# --------------------------------------------------------------------------------------------


def frame() -> tuple[float, float, float, float]:
    """The 16:9 map frame in projected km (see FRAME_MUST_SHOW)."""
    pts = [DEFAULT_PROJECTION.forward(lon, lat) for lon, lat in FRAME_MUST_SHOW]
    minx = min(x for x, _ in pts) - FRAME_PAD_KM
    maxx = max(x for x, _ in pts) + FRAME_PAD_KM
    miny = min(y for _, y in pts) - FRAME_PAD_KM
    maxy = max(y for _, y in pts) + FRAME_PAD_KM
    w, h = maxx - minx, maxy - miny
    if w / h > FRAME_ASPECT:
        spare = w / FRAME_ASPECT - h
        miny -= spare * FRAME_SPARE_SOUTH
        maxy += spare * (1.0 - FRAME_SPARE_SOUTH)
    else:
        spare = h * FRAME_ASPECT - w
        minx -= spare / 2.0
        maxx += spare / 2.0
    return round(minx), round(miny), round(maxx), round(maxy)


def _near_side(ring: Sequence[Pt]) -> bool:
    lon0 = DEFAULT_PROJECTION.lon0
    return all(abs((lon - lon0 + 180.0) % 360.0 - 180.0) <= MAX_DLON for lon, _ in ring)


def _inside(ring: Sequence[Sequence[int]], outer: Sequence[Sequence[int]]) -> bool:
    """Does ``ring`` lie within ``outer``? (Tested on its vertices that are not on ``outer``.)"""
    shared = {tuple(p) for p in outer}
    probes = [p for p in ring if tuple(p) not in shared]
    poly = [[(float(x), float(y)) for x, y in outer]]
    return bool(probes) and all(point_in_rings(float(x), float(y), poly) for x, y in probes)


def holes(country: dict[str, Any]) -> list[list[list[int]]]:
    """The rings of a country that lie inside another of its rings."""
    rings = country["rings"]
    return [
        r for i, r in enumerate(rings) if any(_inside(r, o) for j, o in enumerate(rings) if j != i)
    ]


def enclaves_last(countries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drawing order: a country filling another's hole (Sokh in Kyrgyzstan, Baarle in the
    Netherlands, San Marino in Italy) must come after it, so it paints over the host's fill.
    """
    order = list(countries)
    for host in countries:
        for hole in holes(host):
            box = _bbox(hole)
            for guest in countries:
                if guest is host or not any(_bbox_within(_bbox(r), box) for r in guest["rings"]):
                    continue
                if order.index(guest) < order.index(host):
                    order.remove(guest)
                    order.insert(order.index(host) + 1, guest)
    return order


def _bbox(ring: Sequence[Sequence[int]]) -> tuple[int, int, int, int]:
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def _bbox_within(inner: tuple[int, int, int, int], outer: tuple[int, int, int, int]) -> bool:
    return (
        inner[0] >= outer[0]
        and inner[1] >= outer[1]
        and inner[2] <= outer[2]
        and inner[3] <= outer[3]
    )


def move_crimea_to_ukraine(countries: list[dict[str, Any]]) -> None:
    """Move the ring holding CRIMEA_PROBE from Russia to Ukraine (see CRIMEA_PROBE)."""
    by_id = {c["id"]: c for c in countries}
    russia, ukraine = by_id["643"], by_id["804"]
    x, y = DEFAULT_PROJECTION.forward(*CRIMEA_PROBE)
    for ring in russia["rings"]:
        if point_in_rings(x, y, [[(float(a), float(b)) for a, b in ring]]):
            russia["rings"].remove(ring)
            ukraine["rings"].append(ring)
            return
    raise SystemExit("Crimea not found in Russia's rings: has the source data changed?")


def build(
    topo: dict[str, Any], tol: float, min_area: float, crimea: str = "ukraine"
) -> dict[str, Any]:
    box = frame()
    lonlat_arcs = decode_arcs(topo)
    projected: dict[int, list[Pt]] = {}

    def simplified(i: int) -> list[Pt]:
        j = i if i >= 0 else ~i
        if j not in projected:
            pts = [DEFAULT_PROJECTION.forward(lon, lat) for lon, lat in lonlat_arcs[j]]
            projected[j] = douglas_peucker(pts, tol)
        return projected[j] if i >= 0 else projected[j][::-1]

    countries = []
    for geom in topo["objects"]["countries"]["geometries"]:
        name = geom["properties"]["name"]
        rings: list[list[list[int]]] = []
        for polygon in polygons_of(geom):
            for arc_ids in polygon:
                if not _near_side(stitch(lonlat_arcs, arc_ids)):
                    continue
                ring: list[Pt] = []
                for i in arc_ids:
                    pts = simplified(i)
                    ring.extend(pts[1:] if ring else pts)
                clipped = round_ring(clip_ring(ring, box))
                if len(clipped) >= 3 and ring_area(clipped) >= min_area:
                    rings.append(clipped)
        if rings:
            cid = geom.get("id") or name
            countries.append({"id": cid, "name": name, "iso3": ISO3.get(cid), "rings": rings})
    if crimea == "ukraine":
        move_crimea_to_ukraine(countries)
    countries.sort(key=lambda c: -sum(ring_area(r) for r in c["rings"]))
    countries = enclaves_last(countries)
    places = []
    for pid, pname, lon, lat in PLACES:
        x, y = DEFAULT_PROJECTION.forward(lon, lat)
        places.append(
            {"id": pid, "name": pname, "lon": lon, "lat": lat, "x": round(x, 1), "y": round(y, 1)}
        )
    return {
        "source": SOURCE,
        "notes": (
            f"simplified to {tol:g} km, specks under {min_area:g} km2 dropped; "
            + ("Crimea drawn as Ukraine" if crimea == "ukraine" else "Crimea as in Natural Earth")
        ),
        "projection": DEFAULT_PROJECTION.to_dict(),
        "bounds": list(box),
        "countries": countries,
        "places": places,
    }


def dump(asset: dict[str, Any]) -> str:
    """Compact JSON with one country and one place per line, so diffs stay readable."""
    head = {k: v for k, v in asset.items() if k not in ("countries", "places")}
    lines = ["{"]
    for k, v in head.items():
        lines.append(f"{json.dumps(k)}: {json.dumps(v, separators=(',', ':'))},")
    for key in ("countries", "places"):
        items = [json.dumps(c, separators=(",", ":"), ensure_ascii=False) for c in asset[key]]
        tail = "," if key == "countries" else ""
        lines.append(f'"{key}": [\n' + ",\n".join(items) + "\n]" + tail)
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("topojson", type=Path, help="world-atlas countries-50m.json")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--tolerance", type=float, default=TOLERANCE_KM, help="km")
    parser.add_argument("--min-area", type=float, default=MIN_RING_AREA_KM2, help="km^2")
    parser.add_argument("--crimea", choices=("ukraine", "russia"), default="ukraine")
    args = parser.parse_args(argv)
    topo = json.loads(args.topojson.read_text(encoding="utf-8"))
    asset = build(topo, args.tolerance, args.min_area, args.crimea)
    text = dump(asset)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    names = ", ".join(c["name"] for c in asset["countries"])
    for c in asset["countries"]:
        if holes(c):
            print(f"{c['name']} has {len(holes(c))} hole(s)")
    print(f"{args.out}: {len(text.encode()) / 1024:.0f} KiB, bounds {asset['bounds']}")
    print(f"{len(asset['countries'])} countries: {names}")
    missing = [c["name"] for c in asset["countries"] if not c["iso3"]]
    if missing:
        print(f"no iso3 for: {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
