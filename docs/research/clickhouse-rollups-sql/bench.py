#!/usr/bin/env python3
# bench.py file.py-style: spec file with blocks "## name\nSQL" ; runs each 3x, prints best time, rows, md5; groups with same prefix before ':' compared
import sys, subprocess, time, hashlib, re
def run(sql, db):
    t=time.time()
    p=subprocess.run(['clickhouse-client','--port','39773','-d',db,'--time','--multiline','-q',sql,'--max_memory_usage','8000000000'],capture_output=True,text=True)
    try: dt=float(p.stderr.strip().split('\n')[-1])
    except Exception: dt=time.time()-t
    return dt, p
db=sys.argv[2]; reps=int(sys.argv[3]) if len(sys.argv)>3 else 3
blocks=re.split(r'^## ', open(sys.argv[1]).read(), flags=re.M)[1:]
res={}
for b in blocks:
    name, sql = b.split('\n',1)
    sql=sql.strip().rstrip(';')
    best=1e9; out=None
    for i in range(reps):
        dt,p=run(sql,db)
        if p.returncode!=0:
            e=[l for l in p.stderr.split('\n') if 'Code:' in l] or [p.stderr]
            print('%-40s ERR %s'%(name, e[0][:300])); out=None; break
        best=min(best,dt); out=p.stdout
    if out is None: continue
    h=hashlib.md5(out.encode()).hexdigest()[:8]
    key=name.split(':')[0]
    same=''
    if key in res: same = 'SAME as '+res[key][0] if res[key][1]==h else 'DIFFERS from '+res[key][0]
    else: res[key]=(name,h)
    lines=out.rstrip('\n').split('\n')
    print('%-40s %7.3fs rows=%-5d md5=%s %s | %s'%(name,best,len(lines),h,same, lines[0][:100] if lines else ''))
    if '-v' in sys.argv: print(out[:3000])
