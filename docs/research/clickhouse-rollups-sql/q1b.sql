SELECT groupBitmap(toUInt32(v)) FROM t_src
;;
SELECT bitmapCardinality(bitmapBuild([1,2,3]))
;;
SELECT arrayJoin([1,2,3]) AS x, x*2
;;
SELECT k, f FROM (SELECT 'a' AS k, ['p','q'] AS fs) ARRAY JOIN fs AS f
;;
SELECT k, f, n FROM (SELECT 'a' AS k, ['p','q'] AS fs, [1,2] AS ns) ARRAY JOIN fs AS f, ns AS n
;;
WITH 5 AS five SELECT five + 1
;;
WITH (SELECT max(ts) FROM t_src) AS mx SELECT mx, count() FROM t_src WHERE ts < mx
;;
WITH ts * 2 AS d SELECT id, d FROM t_src ORDER BY id LIMIT 2
;;
SELECT id FROM t_src WHERE id IN (SELECT id FROM t_src WHERE k = 'x') ORDER BY id
;;
SELECT id FROM t_src WHERE (app, id) IN (SELECT app, id FROM t_src WHERE k = 'x') ORDER BY id
;;
SELECT id FROM t_src WHERE id GLOBAL IN (SELECT id FROM t_src WHERE k = 'x') ORDER BY id
;;
SELECT k, id, ts FROM t_src ORDER BY k, ts DESC LIMIT 1 BY k
;;
SELECT k, id FROM t_src ORDER BY k, id LIMIT 2 BY k
;;
SELECT arrayReduce('max', [1,5,3]), arrayReduce('uniqExact', ['a','b','a'])
;;
SELECT id, ts, arrayFilter(x -> x > ts, [50, 150, 250, 350]) FROM t_src ORDER BY id
;;
SELECT id, ts, arrayCount(x -> x > ts AND x <= ts + 100, [50, 150, 250, 350]) FROM t_src ORDER BY id
;;
SELECT id, arrayMap(x -> concat(x, id), ['p','q']) FROM t_src ORDER BY id
;;
SELECT k, groupArray(ts) AS a, arrayFilter(x -> x > min_ts, a) FROM (SELECT k, ts, min(ts) OVER () AS min_ts FROM t_src) GROUP BY k
;;
SELECT k, min(ts) AS m, groupArray(ts) AS a, arrayFilter(x -> x > m, a) AS after FROM t_src GROUP BY k ORDER BY k
;;
SELECT ts, runningDifference(ts) FROM (SELECT ts FROM t_src ORDER BY ts)
;;
SELECT k, groupArray((ts, id)) AS a, arraySort(a), arraySort(x -> -x.1, a), arrayReverseSort(a) FROM t_src GROUP BY k ORDER BY k
;;
SELECT k, arraySort(x -> x.1, groupArray((ts, id))) AS a, a[1].2 AS first_id, tupleElement(a[1], 2) FROM t_src GROUP BY k ORDER BY k
;;
SELECT toMonday(toDate('2024-05-15')), toStartOfWeek(toDate('2024-05-15'), 1), toStartOfWeek(toDate('2024-05-19'), 1), toMonday(toDate('2024-05-19'))
;;
SELECT toStartOfWeek(toDate('2024-05-15'))
;;
SELECT toDate(intDiv(1715774400000, 1000)), toDate(toDateTime(intDiv(1715774400000, 1000))), toUInt16(toDate('2024-05-15'))
;;
SELECT toMonday(toDate(intDiv(toInt64(1715774400000), 1000))) 
;;
SELECT quantileExact(0.5)(x), quantilesExact(0.5,0.9)(x) FROM (SELECT arrayJoin([1,2,3,4,5,6,7,8,9,10]) AS x)
;;
SELECT arraySort(x -> (-x.2, x.1), [('a', 2), ('b', 3), ('c', 2)])
;;
SELECT arrayEnumerate([5,6]), arrayUniq(['a','b','a']), arrayDistinct(['a','b','a']), has(['a'], 'a'), indexOf(['a','b'],'b')
;;
SELECT arraySlice([1,2,3], 1, 2), arrayConcat([1],[2]), groupArrayArray(x) FROM (SELECT [1,2] AS x UNION ALL SELECT [3] AS x)
;;
SELECT uniqExactIf(x, x > 2), sumIf(x, x>2), minIf(x, x > 2), argMinIf(x, -x, x > 2) FROM (SELECT arrayJoin([1,2,3,4]) AS x)
;;
SELECT uniqExactMergeIf(u, k = 'x') FROM t_agg
;;
SELECT k, uniqExactMerge(u) FROM t_agg WHERE k IN ('x') GROUP BY k
;;
SELECT sumMap(ks, vs) FROM (SELECT ['a','b'] AS ks, [toUInt64(1), toUInt64(2)] AS vs UNION ALL SELECT ['a'], [toUInt64(5)])
;;
SELECT uniqExactArray(x) FROM (SELECT ['a','b'] AS x UNION ALL SELECT ['a','c'])
;;
SELECT sequenceMatch('(?1)(?2)')(toDateTime(ts), k = 'x', k = 'y') FROM t_src
;;
SELECT windowFunnel(100)(toUInt32(ts), k = 'y', k = 'x') FROM t_src
;;
SELECT retention(k='x', k='y') FROM t_src
