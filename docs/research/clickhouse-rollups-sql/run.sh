#!/bin/bash
# usage: run.sh file.sql ; statements separated by lines of ';;'
f=$1
python3 - "$f" <<'PY'
import sys,subprocess,time
src=open(sys.argv[1]).read()
for st in [s.strip() for s in src.split('\n;;\n') if s.strip()]:
    print('>>> '+st)
    t=time.time()
    p=subprocess.run(['clickhouse-client','--port','39773','--multiline','-q',st],capture_output=True,text=True)
    dt=time.time()-t
    if p.returncode==0:
        out=p.stdout.rstrip()
        lines=out.split('\n')
        if len(lines)>15: out='\n'.join(lines[:15])+'\n... (%d lines)'%len(lines)
        print(out); print('   [ok %.3fs]'%dt)
    else:
        e=[l for l in p.stderr.split('\n') if 'Code:' in l] or p.stderr.strip().split('\n'); print('   [ERR] '+e[0][:500])
PY
