SELECT arrayFilter(x -> x > ts, [150, 250]) FROM t_src
;;
SELECT ts, arrayFilter(x -> x > ts, [150, 250]) FROM t_src
;;
SELECT countIf(c) FROM (SELECT ts, arrayExists(x -> x > ts, [150, 250]) AS c FROM t_src)
;;
SELECT countIf(arrayExists(x -> x > ts, [150, 250])), min(ts) FROM t_src
;;
SELECT k, arrayExists(x -> x > m, a) FROM (SELECT k, min(ts) AS m, groupArray(ts) AS a FROM t_src GROUP BY k) ORDER BY k
;;
SELECT k, m, arrayExists(x -> x > m, a) FROM (SELECT k, min(ts) AS m, groupArray(ts) AS a FROM t_src GROUP BY k) ORDER BY k
