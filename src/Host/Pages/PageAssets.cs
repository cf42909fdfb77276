namespace Affinsy.Host.Pages;

/// <summary>
/// The inline style sheet and script shared by every page. The script only sorts and filters tables already in
/// the page (a header with <c>data-sort</c> sorts by its cells' <c>data-value</c>; an input with
/// <c>data-filter</c> hides the rows of that table not containing its text): without it the page still reads.
/// </summary>
internal static class PageAssets
{
    public const string Css = """
        :root{--fg:#1d2433;--muted:#5b6578;--line:#d9dee7;--bg:#f5f7fa;--card:#fff;--accent:#2458b3;--ok:#1e7a3c;--bad:#b3261e;--warn:#8a5a00}
        *{box-sizing:border-box}
        body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
        main{max-width:1200px;margin:0 auto;padding:16px}
        h1{font-size:1.5rem;margin:.2rem 0 .4rem}
        h2{font-size:1.15rem;margin:0 0 .6rem}
        a{color:var(--accent)}
        .muted{color:var(--muted)}
        .meta{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;margin:0 0 1rem;padding:0;list-style:none;color:var(--muted)}
        .meta b{color:var(--fg);font-weight:600}
        .card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin:0 0 16px;overflow-x:auto}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(440px,1fr));gap:16px}
        .grid>.card{margin:0}
        .insights{margin:0;padding-left:1.2rem}
        .insights li{margin:.25rem 0}
        figure{margin:0}
        figure svg{width:100%;height:auto;display:block}
        .chart-wide figure{max-width:820px;margin:0 auto}
        figcaption{color:var(--muted);font-size:.9rem;margin-top:.4rem}
        table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
        th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
        td.n,th.n{text-align:right;white-space:nowrap}
        th[data-sort]{cursor:pointer;user-select:none;white-space:nowrap}
        th[data-sort]::after{content:" \2195";color:var(--muted)}
        th[aria-sort=ascending]::after{content:" \2191";color:var(--fg)}
        th[aria-sort=descending]::after{content:" \2193";color:var(--fg)}
        thead th{position:sticky;top:0;background:var(--card)}
        .tools{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin-bottom:.6rem}
        .tools input{font:inherit;padding:6px 8px;border:1px solid var(--line);border-radius:6px;min-width:240px;flex:1;max-width:420px}
        .ok{color:var(--ok);font-weight:600}.bad{color:var(--bad);font-weight:600}.warn{color:var(--warn);font-weight:600}
        .error{border-left:4px solid var(--bad);padding-left:10px}
        footer{max-width:1200px;margin:0 auto;padding:0 16px 24px;color:var(--muted);font-size:.8rem}
        @media (max-width:640px){
          main{padding:10px}.grid{grid-template-columns:1fr}
          th,td{padding:5px 4px;font-size:.85rem}
          .tools input{min-width:0;width:100%;max-width:none}
          .wide{display:none}
        }
        @media print{
          body{background:#fff;font-size:11pt}
          main{max-width:none;padding:0}
          .card{border:none;padding:0;margin:0 0 12pt;break-inside:avoid-page}
          .grid{display:block}
          .tools,footer,.noprint{display:none}
          thead th{position:static}
          tr{break-inside:avoid}
          a{color:inherit;text-decoration:none}
        }
        """;

    public const string Script = """
        (function(){
          function value(row,i){var c=row.cells[i];var v=c.getAttribute('data-value');return v===null?c.textContent.trim().toLowerCase():parseFloat(v);}
          document.querySelectorAll('table').forEach(function(table){
            var heads=table.querySelectorAll('th[data-sort]');
            heads.forEach(function(th){
              th.tabIndex=0;
              function sort(){
                var i=th.cellIndex,desc=th.getAttribute('aria-sort')!=='descending';
                heads.forEach(function(h){h.removeAttribute('aria-sort');});
                th.setAttribute('aria-sort',desc?'descending':'ascending');
                var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
                rows.sort(function(a,b){var x=value(a,i),y=value(b,i);var r=x<y?-1:x>y?1:0;return desc?-r:r;});
                rows.forEach(function(r){body.appendChild(r);});
              }
              th.addEventListener('click',sort);
              th.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();sort();}});
            });
          });
          document.querySelectorAll('input[data-filter]').forEach(function(input){
            var table=document.getElementById(input.getAttribute('data-filter'));
            var shown=document.getElementById(input.getAttribute('data-filter')+'-shown');
            input.addEventListener('input',function(){
              var words=input.value.toLowerCase().split(/\s+/).filter(Boolean),n=0;
              Array.prototype.forEach.call(table.tBodies[0].rows,function(r){
                var text=r.textContent.toLowerCase();
                var hit=words.every(function(w){return text.indexOf(w)>=0;});
                r.hidden=!hit;if(hit)n++;
              });
              if(shown)shown.textContent=n;
            });
          });
        })();
        """;
}
