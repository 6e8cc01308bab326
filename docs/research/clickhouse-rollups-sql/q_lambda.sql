SELECT countIf(arrayExists(x -> x > ts, [150, 250])) FROM t_src
;;
SELECT sum(arrayCount(x -> x > ts, [150, 250])) FROM t_src
;;
SELECT countIf(c) FROM (SELECT arrayExists(x -> x > ts, [150, 250]) AS c FROM t_src)
;;
SELECT k, arrayExists(x -> x > m, a) FROM (SELECT k, min(ts) AS m, groupArray(ts) AS a FROM t_src GROUP BY k) ORDER BY k
;;
SELECT countIf(arrayExists((x, t) -> x > t, [150, 250], arrayResize([ts], 2, ts))) FROM t_src
