/** The app's one stylesheet, served as /style.css (no front-end build). */
export const STYLESHEET = `
:root { --ink: #1d2433; --muted: #5b6475; --line: #d9dde5; --bg: #f5f6f8; --card: #fff; --accent: #2a5bd7;
  --silver: #8a94a6; --gold: #c08a16; --ok: #1e7f4f; --err: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
header { background: var(--ink); color: #fff; padding: 14px 28px; display: flex; flex-wrap: wrap; gap: 8px 28px; align-items: baseline; }
header h1 { font-size: 18px; margin: 0 auto 0 0; font-weight: 600; }
header .meta { color: #c9cfdb; font-size: 14px; }
header .meta strong { color: #fff; font-weight: 600; }
main { max-width: 1040px; margin: 0 auto; padding: 22px 28px 40px; }
h2 { font-size: 16px; margin: 0 0 8px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 16px; margin-bottom: 18px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; }
.level { border-top: 4px solid var(--silver); }
.level.gold { border-top-color: var(--gold); }
.level.current { box-shadow: 0 0 0 2px var(--accent); }
.scopes { margin: 4px 0 12px; padding: 0; list-style: none; font: 13px/1.6 ui-monospace, SFMono-Regular, Menlo, monospace; color: var(--muted); }
form { display: inline; margin: 0; }
button { font: inherit; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; padding: 7px 14px; cursor: pointer; }
button.secondary { background: transparent; color: var(--accent); }
button.link { border: 0; background: none; color: var(--accent); padding: 0 2px; text-decoration: underline; font-size: 13px; }
.actions { display: flex; gap: 10px; flex-wrap: wrap; margin-bottom: 12px; }
.notice { border-left: 4px solid var(--accent); }
.notice.error { border-left-color: var(--err); }
.notice p { margin: 4px 0; }
.detail { color: var(--muted); font-size: 13px; }
.status { display: inline-block; min-width: 44px; text-align: center; font-weight: 700; border-radius: 4px; padding: 1px 8px; color: #fff; background: var(--err); margin-right: 8px; }
.status.ok { background: var(--ok); }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; white-space: nowrap; }
td.claim { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; word-break: break-all; }
.muted { color: var(--muted); }
#api { margin-bottom: 18px; }
footer { margin-top: 10px; }
`;
