/**
 * The report page's stylesheet, inlined so the page is one self-contained file (mail it, attach it to a ticket,
 * open it offline). System fonts only; prints on paper without the colours it does not need.
 */
export const REPORT_CSS = `
:root { --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; --info: #0969da; --line: #d0d7de; --muted: #57606a;
  --bg: #ffffff; --panel: #f6f8fa; --fg: #1f2328; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 -apple-system, "Segoe UI", Roboto, "Noto Sans", Helvetica, Arial, sans-serif;
  color: var(--fg); background: var(--bg); }
main { max-width: 1080px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
header.report { border-left: 6px solid var(--info); background: var(--panel); padding: 16px 20px; border-radius: 6px; }
header.ok { border-color: var(--ok); } header.warn { border-color: var(--warn); } header.bad { border-color: var(--bad); }
.badge { display: inline-block; padding: 2px 10px; border-radius: 12px; color: #fff; background: var(--info);
  font-weight: 600; font-size: 13px; }
.ok .badge, .badge.ok { background: var(--ok); } .warn .badge, .badge.warn { background: var(--warn); }
.bad .badge, .badge.bad { background: var(--bad); }
.summary { font-size: 15px; margin: 8px 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 12px; margin-top: 16px; }
.figure { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
.figure .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.figure .value { font-size: 20px; font-weight: 600; }
.timeline-bar { display: flex; height: 30px; border-radius: 6px; overflow: hidden; border: 1px solid var(--line);
  margin-bottom: 16px; }
.timeline-bar .seg { min-width: 6px; color: #fff; font-size: 11px; line-height: 28px; padding: 0 4px;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; border-right: 1px solid #fff;
  background: var(--phase, var(--info)); }
ol.timeline { list-style: none; margin: 0; padding: 0 0 0 8px; }
ol.timeline li { position: relative; padding: 0 0 18px 28px; border-left: 3px solid var(--line); }
ol.timeline li:last-child { border-left-color: transparent; padding-bottom: 0; }
ol.timeline li::before { content: ""; position: absolute; left: -10px; top: 2px; width: 14px; height: 14px;
  border-radius: 50%; background: var(--phase, var(--info)); border: 2px solid var(--bg); box-shadow: 0 0 0 2px var(--phase, var(--info)); }
ol.timeline .when { color: var(--muted); margin-left: 8px; }
ol.timeline .took { display: inline-block; margin-left: 8px; padding: 0 8px; border-radius: 10px;
  background: var(--panel); border: 1px solid var(--line); font-size: 12px; }
ol.timeline .note { margin: 2px 0 0; color: var(--muted); overflow-wrap: anywhere; }
.ph-starting { --phase: #6e7781; } .ph-waiting-for-drill { --phase: #8250df; } .ph-waiting-for-operation { --phase: #8250df; } .ph-prechecks { --phase: #0969da; }
.ph-decision { --phase: #1b7c83; } .ph-awaiting-approval { --phase: #9a6700; } .ph-requesting { --phase: #bc4c00; }
.ph-polling { --phase: #8250df; } .ph-completed { --phase: #1a7f37; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line);
  overflow-wrap: anywhere; }
th { background: var(--panel); font-weight: 600; white-space: nowrap; }
td.pass, td.fail, td.soft, td.nowrap { white-space: nowrap; }
td.pass { color: var(--ok); font-weight: 600; } td.fail { color: var(--bad); font-weight: 600; }
td.soft { color: var(--warn); font-weight: 600; }
.muted { color: var(--muted); }
.callout { border-left: 4px solid var(--warn); background: #fff8c5; padding: 8px 12px; border-radius: 4px; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print { body { font-size: 12px; } main { padding: 0; } .figure, header.report { break-inside: avoid; } }
`;

/** The rules of the verified-decision sections, added only to pages that have them (older pages stay as they were). */
export const DECISIONS_CSS = `
.break-glass { border: 3px solid var(--bad); background: #ffebe9; color: var(--bad); padding: 10px 16px;
  border-radius: 6px; margin-bottom: 16px; font-size: 16px; }
.break-glass p { margin: 4px 0; }
tr.break-glass-row td { color: var(--bad); font-weight: 600; }
ul#evidence-facts { margin: 0; padding-left: 18px; }
`;
