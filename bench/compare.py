#!/usr/bin/env python3
"""Side-by-side comparison of catalog builds, telemetry modes and JVM options (issue 25), by hand.

  python3 bench/compare.py ROUNDS SECONDS NAME=JAR:VIGIL_TELEMETRY:JVM_OPTIONS ...

e.g. python3 bench/compare.py 3 8 'old-d=old.jar:metrics,access-log,tracing:-Xms128m -Xmx128m' \
       'new-d=cli/target/vigil.jar:metrics,access-log,tracing:-Xms128m -Xmx128m' \
       'spring=bench/peers/spring-catalog/target/spring-catalog.jar::-Xms128m -Xmx128m'

Every round starts each variant in turn as a fresh JVM on 127.0.0.1:18182 (a jar whose path contains
"spring" is the Spring peer), waits for ready, warms up with `wrk -t1 -c32` in runs of 3 s until one
is less than 10% faster than the one before (at most 8), then measures SECONDS of
`wrk -t1 -c32 -d<SECONDS>s --latency` on GET /api/products/5: requests/s, p99, the service's CPU time
per request (utime+stime from /proc over the run), RSS at the end, and start-to-ready time. Prints one
line per run (with the load average), then medians (min-max) and ratios to the first variant, round
by round. JAVA_HOME picks the JDK.
"""
import subprocess, sys, time, os, re, statistics, urllib.request, json, shutil, atexit, signal
CURRENT=[]
def _cleanup(*a):
    for p in CURRENT:
        if p.poll() is None: p.kill()
    if a: sys.exit(1)
atexit.register(_cleanup); signal.signal(signal.SIGTERM, _cleanup)
J=os.path.join(os.environ.get('JAVA_HOME','/usr/lib/jvm/temurin-25-jdk-amd64'),'bin','java')
rounds=int(sys.argv[1]); secs=int(sys.argv[2]); variants=[]
for a in sys.argv[3:]:
    name,rest=a.split('=',1); jar,tel,flags=rest.split(':',2)
    variants.append((name,jar,tel,[f for f in flags.split() if f]))
PORT=18182; URL='/api/products/5'
res={v[0]:{'rps':[],'p99':[],'rss':[],'start':[],'cpu':[]} for v in variants}
READY='/readyz'
def ready():
    try: return urllib.request.urlopen(f'http://127.0.0.1:{PORT}{READY}',timeout=1).status==200
    except Exception: return False
def wrk(d):
    out=subprocess.run(['wrk','-t1','-c32',f'-d{d}s','--latency',f'http://127.0.0.1:{PORT}{URL}'],capture_output=True,text=True).stdout
    rps=float(re.search(r'Requests/sec:\s+([\d.]+)',out).group(1))
    m=re.search(r'99%\s+([\d.]+)(us|ms|s)',out); p99=float(m.group(1))*{'us':0.001,'ms':1,'s':1000}[m.group(2)]
    return rps,p99
def cpu(pid):
    f=open(f'/proc/{pid}/stat').read().rsplit(')',1)[1].split()
    return (int(f[11])+int(f[12]))/os.sysconf('SC_CLK_TCK')
def load(): return float(open('/proc/loadavg').read().split()[0])
def rss(pid):
    for l in open(f'/proc/{pid}/status'):
        if l.startswith('VmRSS'): return int(l.split()[1])/1024
for r in range(rounds):
    for name,jar,tel,flags in variants:
        d=f'/tmp/vigil-compare-{name}'; shutil.rmtree(d,ignore_errors=True); os.makedirs(d)
        env=dict(os.environ, VIGIL_HOST='127.0.0.1', VIGIL_PORT=str(PORT), VIGIL_DATA_DIR=d, VIGIL_TELEMETRY=tel)
        t0=time.time()
        spring='spring' in jar
        READY='/actuator/health' if spring else '/readyz'
        cmd=[J]+flags+['-jar',jar]+([f'--server.port={PORT}'] if spring else ['catalog'])
        p=subprocess.Popen(cmd,env=env,stdout=open(d+'.out','w'),stderr=subprocess.STDOUT); CURRENT[:]=[p]
        while not ready():
            if p.poll() is not None: sys.exit(f'{name} exited: see {d}.out')
            time.sleep(0.05)
        if p.poll() is not None: sys.exit(f'{name} exited: see {d}.out')
        start=(time.time()-t0)*1000
        prev=0
        for _ in range(8):
            w,_p=wrk(3)
            if prev and w < prev*1.1: break
            prev=w
        c0=cpu(p.pid); t1=time.time(); rps,p99=wrk(secs); t2=time.time(); c1=cpu(p.pid); m=rss(p.pid)
        us=(c1-c0)/(rps*(t2-t1))*1e6
        p.terminate(); p.wait()
        for k,v in (('rps',rps),('p99',p99),('rss',m),('start',start),('cpu',us)): res[name][k].append(v)
        print(f'round {r+1} {name}: {rps:,.0f} req/s p99 {p99:.2f} ms RSS {m:.0f} MiB start {start:.0f} ms service CPU {us:.1f} us/req load {load():.2f}',flush=True)
def fmt(xs,f='{:,.0f}'): return f'{f.format(statistics.median(xs))} ({f.format(min(xs))}–{f.format(max(xs))})'
print('\n| variant | req/s | service CPU, µs per request | p99 ms | RSS MiB | start ms |\n|---|---:|---:|---:|---:|---:|')
for name in res:
    x=res[name]; print(f"| {name} | {fmt(x['rps'])} | {fmt(x['cpu'],'{:.1f}')} | {fmt(x['p99'],'{:.2f}')} | {fmt(x['rss'])} | {fmt(x['start'])} |")
names=list(res)
for n in names[1:]:
    rat=[a/b for a,b in zip(res[n]['rps'],res[names[0]]['rps'])]
    print(f'{n}/{names[0]} req/s, round by round: {fmt(rat,"{:.3f}")}')
    rat=[a/b for a,b in zip(res[n]['cpu'],res[names[0]]['cpu'])]
    print(f'{n}/{names[0]} CPU per request, round by round: {fmt(rat,"{:.3f}")}')
print(json.dumps(res))
