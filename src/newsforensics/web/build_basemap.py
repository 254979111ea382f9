"""Rebuild ``static/world.svg``, the offline basemap of the dossier map, from Natural Earth.

Natural Earth 1:110m countries (public domain, naturalearthdata.com) as shipped inside the
geopandas 0.14.4 wheel (``geopandas/datasets/naturalearth_lowres``), read with pyshp. Neither is a
dependency: download the two wheels once and point this at them::

    pip download --no-deps geopandas==0.14.4 pyshp==2.3.1 -d /tmp/basemap
    python -m newsforensics.web.build_basemap /tmp/basemap/geopandas-0.14.4-py3-none-any.whl \
        /tmp/basemap/pyshp-2.3.1-py2.py3-none-any.whl

The projection is plate carrée (x = lon + 180, y = 90 - lat, in degrees, scaled by ``SCALE``) so
that ``web.render.project`` can place a point with two additions and no projection library.
"""

from __future__ import annotations

import io
import sys
import zipfile
from html import escape
from pathlib import Path

SCALE = 2  # SVG units per degree: the viewBox is 0 0 720 360
SHAPES = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
OUT = Path(__file__).resolve().parent / "static" / "world.svg"


def _ring_path(points: list[tuple[float, float]]) -> str:
    """One closed ring as SVG path data, rounded to 0.1 unit with repeated points dropped."""
    coords: list[str] = []
    for lon, lat in points:
        xy = f"{(lon + 180) * SCALE:.1f} {(90 - lat) * SCALE:.1f}"
        if not coords or coords[-1] != xy:
            coords.append(xy)
    return "M" + "L".join(coords) + "Z" if len(coords) > 2 else ""


def build(geopandas_wheel: Path, pyshp_wheel: Path) -> str:
    sys.path.insert(0, str(pyshp_wheel))
    import shapefile  # type: ignore[import-not-found]  # pyshp, from its wheel

    with zipfile.ZipFile(geopandas_wheel) as wheel:
        files = {ext: io.BytesIO(wheel.read(f"{SHAPES}.{ext}")) for ext in ("shp", "shx", "dbf")}
    reader = shapefile.Reader(**files, encoding="latin-1")  # the .cpg says ISO-8859-1
    names = [f[0] for f in reader.fields[1:]]
    paths = []
    for record in reader.shapeRecords():
        attrs = dict(zip(names, record.record, strict=True))
        shape = record.shape
        bounds = [*shape.parts, len(shape.points)]
        data = "".join(_ring_path(shape.points[a:b]) for a, b in zip(bounds, bounds[1:], strict=False))
        if data:
            iso, name = escape(attrs["iso_a3"]), escape(attrs["name"])
            paths.append(f'<path data-iso="{iso}" d="{data}"><title>{name}</title></path>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {360 * SCALE} {180 * SCALE}">\n'
        "<!-- Natural Earth 1:110m countries, public domain (naturalearthdata.com); "
        "built by newsforensics.web.build_basemap -->\n"
        '<g fill="#dfe4ea" stroke="#aab4bf" stroke-width="0.3">\n' + "\n".join(paths) + "\n</g>\n</svg>\n"
    )


if __name__ == "__main__":
    OUT.write_text(build(Path(sys.argv[1]), Path(sys.argv[2])), encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")
