import sys
A,B=int(sys.argv[2]),int(sys.argv[3])
LO,HI=A*86400000,(B+1)*86400000
P="if(user != '', user, if(tie != '', tie, anon))"
TIES="(SELECT anon, argMinMerge(tie) AS tie FROM ties WHERE app = 'demo' GROUP BY anon)"
RAWSCAN="FROM events "+("GLOBAL " if len(sys.argv)>4 else "")+"ANY LEFT JOIN (SELECT anon, argMin(user, (ts, user)) AS tie FROM events WHERE app = 'demo' AND type = 1 GROUP BY anon) USING anon PREWHERE app = 'demo'"
PERSONS=("(SELECT person, if(min(i) < 9223372036854775807, min(i), min(f)) AS fs, argMaxMerge(acc) AS account FROM (SELECT "+P+" AS person, i, f, acc "
 "FROM (SELECT user, anon, finalizeAggregation(install_ts) AS i, finalizeAggregation(first_ts) AS f, account AS acc FROM actors WHERE app = 'demo') ANY LEFT JOIN "+TIES+" USING anon) GROUP BY person)")
FIRSTUSE=("(SELECT name, "+P+" AS person, min(f) AS fu FROM (SELECT name, user, anon, minMerge(first_ts) AS f FROM actor_features WHERE app = 'demo' GROUP BY name, user, anon) ANY LEFT JOIN "+TIES+" USING anon GROUP BY name, person)")
FIRSTUSE2=("(SELECT name, "+P+" AS person, min(f) AS fu FROM (SELECT name, user, anon, finalizeAggregation(first_ts) AS f FROM actor_features WHERE app = 'demo' AND f < "+str(HI)+") ANY LEFT JOIN "+TIES+" USING anon GROUP BY name, person)")
WIN="ts >= %d AND ts < %d"%(LO,HI)
FU="type = 0 AND name != '' AND substring(name, 1, 1) != '$'"
s=open(sys.argv[1]).read()
for k,v in [('{RAWSCAN}',RAWSCAN),('{PERSONS}',PERSONS),('{FIRSTUSE2}',FIRSTUSE2),('{FIRSTUSE}',FIRSTUSE),('{TIES}',TIES),('{P}',P),('{WIN}',WIN),('{FU}',FU),('{LO}',str(LO)),('{HI}',str(HI)),('{A}',str(A)),('{B}',str(B))]:
    s=s.replace(k,v)
print(s)
