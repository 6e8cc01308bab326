SELECT minMap(ks, vs), maxMap(ks, vs) FROM (SELECT [toUInt16(1),toUInt16(2)] AS ks, [toInt64(1), toInt64(2)] AS vs UNION ALL SELECT [toUInt16(1)], [toInt64(5)])
;;
SELECT toTypeName(sumMapState(ks, vs)) FROM (SELECT [toUInt16(1),toUInt16(2)] AS ks, [toUInt64(1), toUInt64(2)] AS vs)
;;
CREATE TABLE smt (k String, dMap Nested(day UInt16, uses UInt64)) ENGINE = SummingMergeTree ORDER BY k
;;
INSERT INTO smt VALUES ('a', [1,2], [1,1]), ('a', [2,3], [5,5])
;;
OPTIMIZE TABLE smt FINAL
;;
SELECT * FROM smt
;;
CREATE MATERIALIZED VIEW smt_mv TO smt AS SELECT k, [toUInt16(v)] AS `dMap.day`, [toUInt64(1)] AS `dMap.uses` FROM t_src
;;
SELECT toTypeName(groupArrayState(x)), toTypeName(groupUniqArrayState(toUInt16(x))) FROM (SELECT 1 AS x)
;;
SELECT sumMap(ks, vs, ws) FROM (SELECT [toUInt16(1),toUInt16(2)] AS ks, [toUInt64(1), toUInt64(2)] AS vs, [toUInt64(3), toUInt64(4)] AS ws)
