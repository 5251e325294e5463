"""The leaderboard as one self-contained HTML page.

Everything is inline (CSS, a few lines of plain JavaScript for sorting, the SVG chart), so the
file can be mailed, attached to a CI run or opened from disk with no network at all.
"""

from __future__ import annotations

import html
import json

import pandas as pd

from .chart import render_svg
from .model import Leaderboard, format_cell, json_safe
from .timeline import html_section

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}
h1{font-size:1.5em}.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.5em 1em}
table.lb{border-collapse:collapse;font-size:13px;margin:1em 0}
table.lb th,table.lb td{border-bottom:1px solid #ddd;padding:3px 8px;text-align:right}
table.lb td.text,table.lb th.text{text-align:left}
table.lb th{cursor:pointer;background:#f4f4f4;position:sticky;top:0;user-select:none}
table.lb th[aria-sort=ascending]::after{content:" \\25B2"}
table.lb th[aria-sort=descending]::after{content:" \\25BC"}
.scroll{overflow-x:auto}.prov{font-size:12px;color:#555}
"""

# Plain JS: click a heading to sort by it (numbers numerically, blanks last); click again to
# reverse. Cells carry their sort key in data-v so formatting never affects the order.
_JS = """
(function(){
  var table=document.getElementById('leaderboard');
  var heads=table.tHead.rows[0].cells;
  function key(td){var v=td.getAttribute('data-v');return v===null?td.textContent:v;}
  Array.prototype.forEach.call(heads,function(th,col){
    th.addEventListener('click',function(){
      var asc=th.getAttribute('aria-sort')!=='ascending';
      Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});
      th.setAttribute('aria-sort',asc?'ascending':'descending');
      var num=th.getAttribute('data-type')==='num';
      var body=table.tBodies[0];
      var rows=Array.prototype.slice.call(body.rows);
      rows.sort(function(a,b){
        var x=key(a.cells[col]),y=key(b.cells[col]);
        if(x===''&&y==='')return 0; if(x==='')return 1; if(y==='')return -1;
        var c=num?(parseFloat(x)-parseFloat(y)):x.localeCompare(y);
        return asc?c:-c;
      });
      rows.forEach(function(r){body.appendChild(r);});
    });
  });
})();
"""


def _fmt(value: object, col: str) -> str:
    text = format_cell(value, col)
    return text.replace(",", ", ") if col == "conditions" else text


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def render_table(board: Leaderboard) -> str:
    t = board.ordered()
    e = html.escape
    heads = []
    for col in t.columns:
        kind = "num" if _is_numeric(t[col]) else "text"
        heads.append(f'<th data-col="{e(col)}" data-type="{kind}" class="{kind}" '
                     f'title="{e(col)}">{e(board.column_label(col))}</th>')
    rows = []
    for _, r in t.iterrows():
        cells = []
        for col in t.columns:
            v = json_safe(r[col])
            kind = "num" if _is_numeric(t[col]) else "text"
            sort_key = "" if v is None else (repr(float(v)) if kind == "num" else str(v))
            cells.append(f'<td class="{kind}" data-v="{e(sort_key)}">{e(_fmt(r[col], col))}'
                         "</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return ('<div class="scroll"><table id="leaderboard" class="lb"><thead><tr>'
            + "".join(heads) + "</tr></thead><tbody>\n" + "\n".join(rows)
            + "\n</tbody></table></div>")


def render_html(board: Leaderboard) -> str:
    """The whole page as a string."""
    e = html.escape
    method_notes = "".join(
        f"<li><b>{e(m.label)}</b> (<code>{e(m.column)}</code>): {e(m.note)}</li>"
        for m in board.methods)
    notes = "".join(f'<p class="note">{e(n)}</p>' for n in board.notes)
    bench = ""
    if board.benchmarks:
        bench = ("<p>Other benchmarks found in the same inputs, shown as extra columns: "
                 + ", ".join(f"<code>{e(b)}</code>" for b in board.benchmarks) + ".</p>")
    prov = e(json.dumps(board.provenance, indent=2, default=str))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{e(board.title)}</title><style>{_CSS}</style></head>
<body>
<h1>{e(board.title)}</h1>
{notes}
<h2>Ranking</h2>
<p>Click a column heading to sort by it; click again to reverse.</p>
{render_table(board)}
{bench}
<h2>Chart</h2>
<figure id="chart">{render_svg(board)}</figure>
{html_section(board)}
<h2>Methods</h2>
<ul>{method_notes}
<li><b>rank</b>: 1 = highest {e(board.primary_method.label if board.primary_method else "Π")};
higher Π means the model presents itself more strongly as a locus of experience.</li>
<li><b>parse rate</b> / <b>refusal rate</b>: share of prompts answered with a usable number /
refused; a low parse rate means Π rests on few items.</li></ul>
<h2>Provenance</h2>
<pre class="prov">{prov}</pre>
<script>{_JS}</script>
</body></html>
"""
