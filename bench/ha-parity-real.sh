#!/bin/bash
# Proof 6 of issue 23 at the ha profile's real timing, by hand (docs/scaling.md): ./vigil up --profile ha
# on the default ports, a twin Prometheus (127.0.0.1:19090) on the same rendered rules and targets,
# 4 minutes of 20 req/s with 1 in 11 to /data/error through HAProxy, then the first activeAt of each
# alert in Prometheus and in either vmalert, in seconds after the traffic started. About 8 minutes.
set -u
S=${TMPDIR:-/tmp}/vigil-ha-parity; cd "$(dirname "$0")/.."
# a fresh state every run: VictoriaMetrics' history and the twin's restored alert state (ALERTS_FOR_STATE)
# from an earlier run would raise alerts before this run's traffic
rm -rf $S && mkdir -p $S && chmod 755 $S
./vigil up --profile ha --state-dir $S > $S.up.log 2>&1 || { tail $S.up.log; exit 1; }
CFG=$S/config/prometheus
python3 - "$CFG" <<'PY'
import yaml,sys,os
d=sys.argv[1]
scrape=yaml.safe_load(open(os.path.join(d,'scrape.yml')))
cfg={'global':dict(scrape.get('global',{}),evaluation_interval='15s'),
     'rule_files':[os.path.join(d,'rules','*.yml'),os.path.join(d,'rules','generated','*.yml')],
     'scrape_configs':scrape['scrape_configs']}
yaml.safe_dump(cfg,open(os.path.join(d,'twin.yml'),'w'))
print(cfg['global'])
PY
mkdir -p $S/twin
prometheus --config.file=$CFG/twin.yml --storage.tsdb.path=$S/twin/data --web.listen-address=127.0.0.1:19090 > $S/twin/log 2>&1 &
TWIN=$!
sleep 40
START=$(date +%s)
echo "traffic from $START"
( end=$((START+240)); while [ $(date +%s) -lt $end ]; do for i in 1 2 3 4 5 6 7 8 9 10; do curl -s -o /dev/null http://127.0.0.1:8000/api/products; done; curl -s -o /dev/null http://127.0.0.1:8000/data/error; sleep 0.5; done ) &
LOAD=$!
python3 - $START <<'PY'
import json,sys,time,urllib.request
start=float(sys.argv[1])
from datetime import datetime
def alerts(url):
    try:
        d=json.load(urllib.request.urlopen(url+'/api/v1/alerts',timeout=5))['data']['alerts']
    except Exception as e:
        return []
    out=[]
    for a in d:
        l=dict(a['labels']); l.pop('alertgroup',None)
        t=datetime.fromisoformat(a['activeAt'].replace('Z','+00:00')[:26]+'+00:00' if '.' in a['activeAt'] else a['activeAt'].replace('Z','+00:00')).timestamp()
        if t>=start: out.append((l['alertname']+str(sorted((k,v) for k,v in l.items() if k!='alertname')),t,a['state']))
    return out
p={};v={};pf={};vf={}
while time.time()<start+300:
    for k,t,s in alerts('http://127.0.0.1:19090'):
        p[k]=min(p.get(k,t),t)
        if s=='firing' and k not in pf: pf[k]=time.time()
    for url in ('http://127.0.0.1:8880','http://127.0.0.1:8881'):
        for k,t,s in alerts(url):
            v[k]=min(v.get(k,t),t)
            if s=='firing' and k not in vf: vf[k]=time.time()
    time.sleep(1)
for k in sorted(set(p)|set(v)):
    print(k[:110], 'prom active +%.1f'%(p[k]-start) if k in p else 'prom -', 'vm active +%.1f'%(v[k]-start) if k in v else 'vm -',
          'firing seen prom +%.1f'%(pf[k]-start) if k in pf else '', 'vm +%.1f'%(vf[k]-start) if k in vf else '')
PY
kill $LOAD $TWIN 2>/dev/null
./vigil down --state-dir $S > $S.down.log 2>&1
