"""Build assets/map/world.json, the board's map of the world, from Natural Earth.

Reproduce the committed asset exactly (Python stdlib only, plus npm to fetch the data):

    (cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz)
    python tools/build_map.py /tmp/package/countries-50m.json      # from the repo root

(sha256 of countries-50m.json: 04342cdc1e3016bcd7db1630de95684d67b79fe3c8c460321e87aef469502394.)
Neither the tarball nor node_modules belongs in git.

world-atlas 2.0.2 is Natural Earth 4.1.0 admin-0 countries (public domain) as TopoJSON
(see assets/map/LICENSE.md). Steps: decode the TopoJSON arcs; simplify each shared arc once
(Douglas-Peucker, with a tolerance in km in a local plane) so neighbours keep a common
border; stitch rings; drop specks; round to DECIMALS places of a degree; write one country per
line. The asset stays in longitude/latitude: the board projects and clips it at load time for
the region a scenario's map section asks for (game.board.geo.load_theatre), so any region of
the world can be drawn. Crimea is drawn as Ukraine (see CRIMEA_PROBE).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from game.board.geo import point_in_rings  # noqa: E402

Pt = tuple[float, float]

OUT = REPO / "assets" / "map" / "world.json"
SOURCE = "Natural Earth 4.1.0 admin-0 countries, 1:50m, via npm world-atlas@2.0.2"

# Simplification tolerance and speck filter, in km. A board framing Europe-to-Japan shows
# ~6 km per pixel at 1920 px and a 4K one ~3; one framing the Red Sea ~2. 1.5 km keeps
# coastlines right in a zoomed region too (Kursk, Korea, Bab el-Mandeb).
TOLERANCE_KM = 1.5
MIN_RING_AREA_KM2 = 150.0
# 0.001 degree is 111 m of latitude: well under the tolerance and under a pixel at any zoom
# the board uses.
DECIMALS = 3

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

# ISO 3166-1 numeric -> alpha-3 for every country of the source
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
    716 ZWE  894 ZMB  862 VEN  548 VUT  858 URY  583 FSM  584 MHL  580 MNP
    850 VIR  316 GUM  016 ASM  630 PRI  840 USA  239 SGS  086 IOT  654 SHN
    612 PCN  660 AIA  238 FLK  136 CYM  060 BMU  092 VGB  796 TCA  500 MSR
    800 UGA  780 TTO  776 TON  768 TGO  626 TLS  834 TZA  748 SWZ  740 SUR
    728 SSD  710 ZAF  706 SOM  090 SLB  702 SGP  694 SLE  690 SYC  686 SEN
    678 STP  882 WSM  670 VCT  662 LCA  659 KNA  646 RWA  604 PER  600 PRY
    598 PNG  591 PAN  585 PLW  558 NIC  554 NZL  570 NIU  184 COK  533 ABW
    531 CUW  520 NRU  516 NAM  508 MOZ  732 ESH  484 MEX  480 MUS  458 MYS
    454 MWI  450 MDG  430 LBR  426 LSO  296 KIR  404 KEN  388 JAM  360 IDN
    340 HND  332 HTI  328 GUY  624 GNB  324 GIN  320 GTM  308 GRD  288 GHA
    270 GMB  266 GAB  666 SPM  876 WLF  663 MAF  652 BLM  258 PYF  540 NCL
    260 ATF  242 FJI  231 ETH  232 ERI  226 GNQ  222 SLV  218 ECU  214 DOM
    212 DMA  262 DJI  192 CUB  384 CIV  188 CRI  180 COD  178 COG  174 COM
    170 COL  152 CHL  140 CAF  132 CPV  124 CAN  120 CMR  116 KHM  108 BDI
    096 BRN  076 BRA  072 BWA  068 BOL  084 BLZ  052 BRB  044 BHS  036 AUS
    334 HMD  574 NFK  032 ARG  028 ATG  024 AGO  010 ATA  534 SXM
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


def ring_area(ring: Sequence[Sequence[float]]) -> float:
    """Absolute shoelace area."""
    s = 0.0
    for i in range(len(ring)):
        x1, y1 = ring[i - 1]
        x2, y2 = ring[i]
        s += x1 * y2 - x2 * y1
    return abs(s) / 2.0


# --------------------------------------------------------------------------------------------
# Countries and places, in longitude/latitude
# --------------------------------------------------------------------------------------------

KM_PER_DEG = 111.195  # one degree of latitude on the 6371 km sphere


def _local_km(pts: Sequence[Pt]) -> list[Pt]:
    """An arc in a local equirectangular plane (km): longitudes shrunk by the cosine of the
    arc's middle latitude, so one tolerance in km means the same on Svalbard and in Yemen."""
    if not pts:
        return []
    lats = [lat for _, lat in pts]
    k = math.cos(math.radians((min(lats) + max(lats)) / 2.0))
    return [(lon * k * KM_PER_DEG, lat * KM_PER_DEG) for lon, lat in pts]


def simplify_arc(pts: Sequence[Pt], tol_km: float) -> list[Pt]:
    """Douglas-Peucker of a lon/lat arc with a tolerance in km (end points kept)."""
    local = _local_km(pts)
    keep = set(douglas_peucker(local, tol_km))
    return [p for p, q in zip(pts, local, strict=True) if q in keep]


def area_km2(ring: Sequence[Sequence[float]]) -> float:
    """About the area of a lon/lat ring in km2 (shoelace in the local plane)."""
    return ring_area(_local_km([(float(a), float(b)) for a, b in ring]))


def round_ll(ring: Sequence[Pt]) -> list[list[float]]:
    """Degrees to DECIMALS places, consecutive duplicates and the closing repeat dropped."""
    out: list[list[float]] = []
    for lon, lat in ring:
        p = [round(lon, DECIMALS), round(lat, DECIMALS)]
        if not out or out[-1] != p:
            out.append(p)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def _inside(ring: Sequence[Sequence[float]], outer: Sequence[Sequence[float]]) -> bool:
    """Does ``ring`` lie within ``outer``? (Tested on its vertices that are not on ``outer``.)"""
    shared = {tuple(p) for p in outer}
    probes = [p for p in ring if tuple(p) not in shared]
    poly = [[(float(x), float(y)) for x, y in outer]]
    return bool(probes) and all(point_in_rings(float(x), float(y), poly) for x, y in probes)


def holes(country: dict[str, Any]) -> list[list[list[float]]]:
    """The rings of a country that lie inside another of its rings."""
    rings = country["rings"]
    boxes = [_bbox(r) for r in rings]
    return [
        r
        for i, r in enumerate(rings)
        if any(
            _bbox_within(boxes[i], boxes[j]) and _inside(r, o)
            for j, o in enumerate(rings)
            if j != i
        )
    ]


def enclaves_last(countries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drawing order: a country filling another's hole (Sokh in Kyrgyzstan, Baarle in the
    Netherlands, San Marino in Italy, Lesotho in South Africa) must come after it, so it
    paints over the host's fill.
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


Box = tuple[float, float, float, float]


def _bbox(ring: Sequence[Sequence[float]]) -> Box:
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def _bbox_within(inner: Box, outer: Box) -> bool:
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
    x, y = CRIMEA_PROBE
    for ring in russia["rings"]:
        if point_in_rings(x, y, [[(float(a), float(b)) for a, b in ring]]):
            russia["rings"].remove(ring)
            ukraine["rings"].append(ring)
            return
    raise SystemExit("Crimea not found in Russia's rings: has the source data changed?")


def build(
    topo: dict[str, Any], tol: float, min_area: float, crimea: str = "ukraine"
) -> dict[str, Any]:
    lonlat_arcs = decode_arcs(topo)
    simple: dict[int, list[Pt]] = {}

    def simplified(i: int) -> list[Pt]:
        j = i if i >= 0 else ~i
        if j not in simple:
            simple[j] = simplify_arc(lonlat_arcs[j], tol)
        return simple[j] if i >= 0 else simple[j][::-1]

    countries = []
    for geom in topo["objects"]["countries"]["geometries"]:
        name = geom["properties"]["name"]
        rings: list[list[list[float]]] = []
        for polygon in polygons_of(geom):
            for arc_ids in polygon:
                ring: list[Pt] = []
                for i in arc_ids:
                    pts = simplified(i)
                    ring.extend(pts[1:] if ring else pts)
                rounded = round_ll(ring)
                if len(rounded) >= 3 and area_km2(rounded) >= min_area:
                    rings.append(rounded)
        if rings:
            cid = geom.get("id") or name
            if any(c["id"] == cid for c in countries):  # Ashmore and Cartier share Australia's
                cid = name
            countries.append({"id": cid, "name": name, "iso3": ISO3.get(cid), "rings": rings})
    if crimea == "ukraine":
        move_crimea_to_ukraine(countries)
    countries.sort(key=lambda c: (-sum(area_km2(r) for r in c["rings"]), c["name"]))
    countries = enclaves_last(countries)
    places = [{"id": pid, "name": pname, "lon": lon, "lat": lat} for pid, pname, lon, lat in PLACES]
    return {
        "source": SOURCE,
        "notes": (
            f"longitude/latitude in degrees ({DECIMALS} decimals), simplified to {tol:g} km, "
            f"specks under {min_area:g} km2 dropped; "
            + ("Crimea drawn as Ukraine" if crimea == "ukraine" else "Crimea as in Natural Earth")
        ),
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
    print(f"{args.out}: {len(text.encode()) / 1024:.0f} KiB")
    print(f"{len(asset['countries'])} countries: {names}")
    missing = [c["name"] for c in asset["countries"] if not c["iso3"]]
    if missing:
        print(f"no iso3 for: {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
