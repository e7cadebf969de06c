#!/usr/bin/env python3
"""Buckets the samples of `jfr print --stack-depth 64 --events jdk.ExecutionSample|jdk.ObjectAllocationSample`
by layer of the request path: each sample goes to the first bucket whose code is on its stack.

  python3 bench/request_profile.py SAMPLES.txt [weighted]   (weighted: by allocated bytes)
"""
import sys, re, collections
# parse `jfr print --stack-depth 64 --events X` text output
def events(path):
    ev=[]; cur=None; inst=False
    for line in open(path):
        s=line.strip()
        if s.startswith('jdk.') and s.endswith('{'):
            cur={'frames':[], 'weight':0, 'thread':''}; inst=False
        elif cur is not None:
            if s.startswith('stackTrace = ['): inst=True
            elif inst and s==']': inst=False
            elif inst and s!='...': cur['frames'].append(s)
            elif s.startswith('weight ='):
                v=s.split('=')[1].strip(); num=float(re.sub(r'[^0-9.]','',v) or 0)
                unit=v.split()[-1]
                mult={'bytes':1,'kB':1024,'MB':1024**2,'GB':1024**3}.get(unit,1)
                cur['weight']=num*mult
            elif s.startswith('sampledThread') or s.startswith('eventThread'):
                cur['thread']=s
            elif s=='}':
                ev.append(cur); cur=None
    return ev
RULES=[
 ('access log (AccessLog.record, line writer)', ['dev.vigil.telemetry.logging.AccessLog','AsyncLineWriter.writeLine']),
 ('request id + MDC', ['RequestIds.','LogbackMDCAdapter','org.slf4j.MDC']),
 ('tracing: span start/end, context, MDC ids', ['io.opentelemetry','dev.vigil.telemetry.tracing']),
 ('metrics (HttpMetrics, Prometheus client)', ['HttpMetrics','io.prometheus']),
 ('JFR ServerSpanEvent', ['ServerSpanEvent']),
 ('response body copy (Javalin copyTo)', ['ByteStreamsKt.copyTo']),
 ('catalog handler (ProductApi, cache, Jackson)', ['dev.vigil.catalog.product','com.fasterxml.jackson']),
 ('catalog startup (migrations, seeding)', ['Migrations','StartingCatalogue','CatalogServer.start']),
 ('vigil-stdout writer thread', ['AsyncLineWriter.drain']),
]
def classify(frames):
    for name,keys in RULES:
        for f in frames:
            if any(k in f for k in keys): return name
    if any('io.javalin' in f for f in frames): return 'Javalin (routing, context, rest)'
    if any('org.eclipse.jetty' in f or 'dev.vigil.catalog' in f for f in frames): return 'Jetty (HTTP parsing, I/O, servlet) + catalog guards'
    return 'other (JVM, GC-free threads, writer thread)'
ev=events(sys.argv[1]); weighted=len(sys.argv)>2
tot=collections.Counter()
for e in ev: tot[classify(e['frames'])]+= e['weight'] if weighted else 1
S=sum(tot.values())
for k,v in tot.most_common(): print(f"{100*v/S:5.1f}%  {k}")
print('total', len(ev), 'events')
