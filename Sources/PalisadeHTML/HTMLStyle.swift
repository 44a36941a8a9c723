/// The page's only stylesheet, inlined: light and dark palettes, print rules, and the diagram's classes.
enum HTMLStyle {
    static let css = """
    :root{color-scheme:light dark;--bg:#ffffff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--panel:#f6f8fa;
    --vnet:#eef5ff;--vnet-line:#0969da;--subnet:#ffffff;--subnet-line:#8c959f;--chip:#ffffff;
    --pe:#0969da;--firewall:#cf222e;--bastion:#8250df;--gateway:#9a6700;--vm:#1a7f37;--compute:#1a7f37;--nat:#bc4c00;
    --nic:#57606a;--paas:#57606a;--workspace:#0969da;--external:#6e7781;--route:#bf3989;--peer:#6e7781;
    --error:#cf222e;--warning:#bf8700;--note:#0969da;--badge-fg:#ffffff}
    @media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--panel:#151b23;
    --vnet:#0f1f33;--vnet-line:#4493f8;--subnet:#0d1117;--subnet-line:#656c76;--chip:#151b23;
    --pe:#4493f8;--firewall:#f85149;--bastion:#ab7df8;--gateway:#d29922;--vm:#3fb950;--compute:#3fb950;--nat:#db6d28;
    --nic:#9198a1;--paas:#9198a1;--workspace:#4493f8;--external:#9198a1;--route:#db61a2;--peer:#9198a1;
    --error:#f85149;--warning:#d29922;--note:#4493f8;--badge-fg:#0d1117}}
    *{box-sizing:border-box}
    body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
    header{padding:14px 24px 10px;border-bottom:1px solid var(--line);background:var(--panel)}
    h1{font-size:20px;margin:0 0 2px}h2{font-size:17px;margin:0 0 10px;padding-top:6px}h3{font-size:15px;margin:16px 0 6px}
    main{padding:8px 24px 24px}section{margin:14px 0 26px}
    .meta{color:var(--muted);margin:0}.summary{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0 0;align-items:center}
    nav{margin-top:8px;font-size:13px}nav a{margin-right:14px}
    a{color:var(--vnet-line)}code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
    .pill{display:inline-block;border-radius:999px;padding:1px 9px;font-size:12px;font-weight:600;border:1px solid var(--line)}
    .pill.sev-error{background:var(--error);color:var(--badge-fg);border-color:var(--error)}
    .pill.sev-warning{background:var(--warning);color:var(--badge-fg);border-color:var(--warning)}
    .pill.sev-note{background:var(--note);color:var(--badge-fg);border-color:var(--note)}
    .scroll{overflow:auto;max-height:88vh;border:1px solid var(--line);border-radius:8px;background:var(--bg)}
    .legend{display:flex;flex-wrap:wrap;gap:14px;font-size:12px;color:var(--muted);margin-top:8px}
    .legend span::before{content:"";display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:5px;vertical-align:-2px;background:var(--c)}
    table{border-collapse:collapse;width:100%;font-size:13px;margin:4px 0 10px}
    th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:break-word;word-break:normal;hyphens:none}
    th{background:var(--panel);font-weight:600;white-space:nowrap}td.src{font-weight:600;background:var(--panel)}
    .muted{color:var(--muted)}.finding{border:1px solid var(--line);border-left:5px solid var(--c);border-radius:6px;padding:8px 12px;margin:8px 0}
    .finding.sev-error{--c:var(--error)}.finding.sev-warning{--c:var(--warning)}.finding.sev-note{--c:var(--note)}
    .finding.waived{opacity:.65}.finding p{margin:4px 0}.finding ul{margin:4px 0;padding-left:20px}
    ol.hops{margin:2px 0 4px;padding-left:22px;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
    .id{font-size:11px;color:var(--muted);overflow-wrap:break-word}
    details.source{margin:6px 0}details.source>summary{cursor:pointer;padding:4px 0}td details>summary{cursor:pointer;color:var(--muted)}
    svg.diagram{display:block}
    svg.diagram text{fill:var(--fg);font:12px system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
    svg.diagram text.title{font-weight:700;font-size:14px}svg.diagram text.name{font-weight:600}
    svg.diagram text.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:11.5px;fill:var(--muted)}
    svg.diagram text.small{font-size:11px;fill:var(--muted)}
    .canvas{fill:var(--bg)}
    .vnet>.frame{fill:var(--vnet);stroke:var(--vnet-line);stroke-width:1.5}
    .subnet>.frame{fill:var(--subnet);stroke:var(--subnet-line)}
    .chip>.frame{fill:var(--chip);stroke:var(--c)}.chip>.stripe{fill:var(--c)}
    .chip.pe{--c:var(--pe)}.chip.firewall{--c:var(--firewall)}.chip.bastion{--c:var(--bastion)}.chip.gateway{--c:var(--gateway)}
    .chip.vm{--c:var(--vm)}.chip.compute{--c:var(--compute)}.chip.nat{--c:var(--nat)}.chip.nic{--c:var(--nic)}.chip.more{--c:var(--line)}
    .outer>.frame{fill:var(--panel);stroke:var(--c);stroke-width:1.5}.outer.paas{--c:var(--paas)}.outer.workspace{--c:var(--workspace)}
    .outer.compute{--c:var(--compute)}.outer.external{--c:var(--external)}.outer.external>.frame{stroke-dasharray:5 3}
    .flagged>.frame{stroke-width:2}
    .edge{fill:none;stroke-width:1.5}.edge.pe{stroke:var(--pe);opacity:.75}.edge.route{stroke:var(--route);stroke-width:1.8}
    .edge.egress{stroke:var(--firewall);stroke-dasharray:6 3}.edge.vpn{stroke:var(--gateway);stroke-dasharray:6 3}
    .edge.peering{stroke:var(--peer);stroke-width:3;stroke-dasharray:8 4;opacity:.7}.edge.peering.one-way{stroke:var(--error)}
    .mk-route{fill:var(--route)}.mk-pe{fill:var(--pe)}.mk-egress{fill:var(--firewall)}.mk-vpn{fill:var(--gateway)}
    .badge circle{stroke:var(--bg);stroke-width:2}.badge text{fill:#fff;font-weight:700;font-size:11px}
    .badge.sev-error circle{fill:var(--error)}.badge.sev-warning circle{fill:var(--warning)}.badge.sev-note circle{fill:var(--note)}
    @media print{:root{--bg:#fff;--fg:#000;--panel:#f4f4f4;--vnet:#f2f7ff;--subnet:#fff;--chip:#fff;--badge-fg:#fff}
    header{background:none}nav{display:none}.scroll{overflow:visible;max-height:none;border:none}
    svg.diagram{max-width:100%;height:auto}section{break-inside:auto}.finding,tr{break-inside:avoid}h2,h3{break-after:avoid}
    a{color:inherit;text-decoration:none}}
    """
}
