// The mock backend's starting world: three sessions, one with a real document of chunked blocks.

export const Q4_HTML = `<h1 data-chunk-id="c1">Q4 Report</h1>
<p data-chunk-id="c2">Revenue increased by 15% in Q4, driven by the enterprise plan and a strong renewal season. Operating costs stayed flat while headcount grew by four.</p>
<h2 data-chunk-id="c3">Highlights</h2>
<ul data-chunk-id="c4"><li>Enterprise revenue up 31% quarter on quarter</li><li>Churn down to 1.8% from 2.6%</li><li>Two new regions live: Frankfurt and Singapore</li></ul>
<h2 data-chunk-id="c5">Outlook</h2>
<p data-chunk-id="c6">We expect Q1 to be seasonally softer. The priorities are the self-serve funnel, onboarding time, and the reporting features customers ask for most.</p>
<table data-chunk-id="c7"><thead><tr><th>Region</th><th>Q3</th><th>Q4</th></tr></thead><tbody><tr><td>Americas</td><td>$4.1M</td><td>$4.6M</td></tr><tr><td>EMEA</td><td>$2.7M</td><td>$3.2M</td></tr><tr><td>APAC</td><td>$1.1M</td><td>$1.4M</td></tr></tbody></table>
<p data-chunk-id="c8">Full figures are in the <a href="https://example.com/q4-figures">finance workbook</a>.</p>`;

export const CONTRACT_HTML = `<h1 data-chunk-id="k1">Master Services Agreement</h1>
<p data-chunk-id="k2">This agreement is made between Northwind Ltd ("Client") and Contoso GmbH ("Provider").</p>
<h2 data-chunk-id="k3">1. Term</h2>
<p data-chunk-id="k4">The term is twelve (12) months from the effective date and renews automatically unless either party gives sixty (60) days' notice.</p>`;

export const ARCHIVE_HTML = `<h1 data-chunk-id="a1">Scanned archive 2019–2025</h1>
<p data-chunk-id="a2">Seven years of board minutes with every scanned page embedded. Exports of this document are over 100 MB.</p>`;

export function docFor(filename: string): string {
  const title = filename.replace(/\.[^.]+$/, "").replace(/[-_]+/g, " ");
  return `<h1 data-chunk-id="u1">${title}</h1>
<p data-chunk-id="u2">This document was loaded from ${filename}. Its text appears here as the service returns it, one block per chunk.</p>
<p data-chunk-id="u3">Ask the assistant on the right to summarise, rewrite or restructure it.</p>`;
}

/** Files the mock's file system knows (for stat_paths); other paths get a modest size. */
export const FILES: Record<string, number> = {
  "/home/me/Documents/terms.pdf": 2_457_600,
  "/home/me/Documents/notes.md": 18_432,
  "/home/me/Documents/logo.png": 86_000,
  "/home/me/Documents/old-contract.doc": 310_000,
  "/home/me/Documents/board-scans.pdf": 188_743_680,
  "/home/me/Documents/big-deck.pdf": 73_400_320,
  "/home/me/Documents/budget.xlsx": 45_000,
};
