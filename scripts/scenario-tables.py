#!/usr/bin/env python3
"""The per-application sections of docs/scenarios.md, from Scenarios/applications/*.yaml: each
file's header (what it models, its sources and its provenance), cycle, standalone cluster,
tenants, models, job mix and services. They sit between <!-- applications:begin --> and
<!-- applications:end --> in docs/scenarios.md.

  scripts/scenario-tables.py           # print them
  scripts/scenario-tables.py --write   # rewrite them in docs/scenarios.md
  scripts/scenario-tables.py --check   # exit 1 when docs/scenarios.md differs (make test)

Run from the repository root (needs PyYAML).
"""
import sys, yaml, glob, os, re
order = ["recognition-detection","voice-interaction","chip-design","autonomous-driving","robotics","smart-manufacturing",
         "medical-imaging","unmanned-stores","smart-customer-service","smart-logistics","smart-agriculture-forestry"]
cn = {"recognition-detection":"识别与检测","voice-interaction":"语音交互","chip-design":"AI芯片设计","autonomous-driving":"自动驾驶",
      "robotics":"机器人","smart-manufacturing":"智能制造","medical-imaging":"医学影像","unmanned-stores":"无人零售",
      "smart-customer-service":"智能客服","smart-logistics":"智慧物流","smart-agriculture-forestry":"智慧农林"}
def sig(x):
    """Three significant figures, thousands separated."""
    return f"{x:,.0f}" if x >= 100 else f"{float(f'{x:.3g}'):g}"


def per_unit(jobs_per_day, driver):
    """An application's jobs a day per unit of its driver, per a thousand or a million units when small."""
    ref, unit = float(driver["reference"]), driver["unit"]
    scale, label = (1e6, "a million ") if ref >= 1e6 else (1e3, "1,000 ") if ref >= 1e4 else (1, "")
    return f"{sig(jobs_per_day / ref * scale)} a day per {label}`{unit}`"


apps = {name: yaml.safe_load(open(f"Scenarios/applications/{name}.yaml").read())["workload"]["applications"][0] for name in order}
out=["**Demand drivers.** Each application's written rates are for ICCSim's reference city of 3 million people "
     "(the default city center, `scale: 3`, stands for about 9 million); its `driver` says how many of the thing that "
     "drives it such a city has, from public statistics, so the per-unit factor is the rates over that count. A scenario's "
     "`workload.city` gives its own city's counts (the [scenario reference](scenario-reference.md#workload) shows how).\n",
     "| application | driver (`unit`) | the written rates are for | jobs a day per unit | source of the count |",
     "|---|---|---:|---:|---|"]
for name in order:
    dr = apps[name].get("driver")
    if dr:
        jobs = sum(float(j["perDay"]) for j in apps[name]["jobs"])
        out.append(f"| {name} | `{dr['unit']}` | {sig(float(dr['reference']))} | {per_unit(jobs, dr)} | {dr.get('source', '')} |")
out.append("")
for name in order:
    path=f"Scenarios/applications/{name}.yaml"
    text=open(path).read()
    header=[l[2:] if l.startswith("# ") else l[1:] for l in text.splitlines() if l.startswith("#")]
    d=yaml.safe_load(text)
    app=apps[name]
    out.append(f"## {name} ({cn[name]})\n")
    out.append(" ".join(header).replace("  "," ").strip()+"\n")
    out.append(f"File: `{path}`. Cycle: diurnal `{app['cycle']['diurnal'] if isinstance(app['cycle']['diurnal'],str) else 'custom'}`, weekly `{app['cycle']['weekly'] if isinstance(app['cycle']['weekly'],str) else 'custom'}`. "
               f"Standalone cluster: " + ", ".join(f"{g['count']} x `{g['preset']}`" for g in d['cluster']['servers']) + f", horizon {d['horizon']}.\n")
    out.append("| tenant | type | share |\n|---|---|---:|")
    for t in app["tenants"]: out.append(f"| {t['name']} | {t['type']} | {t.get('share',1)} |")
    out.append("\n| model | family | parameters | train FLOP/sample | batch |\n|---|---|---:|---:|---:|")
    for m in app["models"]:
        out.append(f"| {m['name']} | {m['family']} | {m['parameters']} | {m.get('trainFlopsPerSample','6 x N per token')} | {m.get('batch','default')} |")
    out.append("\n| job kind | model | per day | accelerators | dataset |\n|---|---|---:|---|---|")
    def dist(v):
        if isinstance(v,dict):
            if v.get('dist')=='discrete': return "{"+", ".join(f"{a}: {b}" for a,b in zip(v['values'],v['weights']))+"}"
            return f"{v['dist']}(" + ", ".join(f"{k}={x}" for k,x in v.items() if k!='dist') + ")"
        return str(v)
    for j in app["jobs"]:
        data = f"bytes {dist(j['bytes'])}" if j['kind']=='data_processing' else f"samples {dist(j['samples'])} x epochs {dist(j.get('epochs',1))}"
        kind = j['kind'] + (f" ({j['method']})" if 'method' in j else "") + (f" ({j.get('trials',27)} trials)" if j['kind']=='automl' else "")
        out.append(f"| {kind} | {j.get('model','-')} | {j['perDay']} | {dist(j['accelerators'])} | {data} |")
    out.append("\n| service | model | requests/s | tokens/request | latency target | max batch |\n|---|---|---:|---:|---:|---:|")
    for s in app.get("services",[]):
        out.append(f"| {s['name']} | {s['model']} | {s['requestsPerSecond']} | {s.get('tokensPerRequest',1)} | {s['latencyTarget']} | {s.get('maxBatch',16)} |")
    out.append("")
text = "\n".join(out) + "\n"
if len(sys.argv) > 1 and sys.argv[1] in ("--write", "--check"):
    doc = "docs/scenarios.md"
    old = open(doc, encoding="utf-8").read()
    begin, end = "<!-- applications:begin -->\n", "<!-- applications:end -->"
    i, j = old.index(begin) + len(begin), old.index(end)
    if sys.argv[1] == "--write":
        open(doc + ".tmp", "w", encoding="utf-8").write(old[:i] + text + old[j:])
        os.replace(doc + ".tmp", doc)
        print("scenario-tables: wrote the application sections of docs/scenarios.md")
    elif old[i:j] != text:
        sys.exit("scenario-tables: the application sections of docs/scenarios.md differ from Scenarios/applications/*.yaml: "
                 "run scripts/scenario-tables.py --write")
    else:
        print("scenario-tables: docs/scenarios.md matches Scenarios/applications/*.yaml")
else:
    print(text, end="")
