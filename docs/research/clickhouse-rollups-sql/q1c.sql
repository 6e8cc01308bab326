SELECT sumMap(ks, vs) FROM (SELECT [toUInt16(1),toUInt16(2)] AS ks, [toUInt64(1), toUInt64(2)] AS vs UNION ALL SELECT [toUInt16(1)], [toUInt64(5)])
;;
CREATE TABLE ties (app String, anon String, user String) ENGINE = Join(ANY, LEFT, app, anon)
;;
INSERT INTO ties VALUES ('a','an1','u1'),('a','an2','u2')
;;
SELECT joinGet('ties', 'user', 'a', 'an1')
;;
SELECT joinGet('default.ties', 'user', 'a', 'an1')
;;
SELECT * FROM (SELECT 'a' AS app, arrayJoin(['an1','an3']) AS anon) ANY LEFT JOIN ties USING app, anon
;;
SELECT * FROM ties
;;
CREATE TABLE aset (anon String) ENGINE = Set
;;
INSERT INTO aset VALUES ('an1')
;;
SELECT arrayJoin(['an1','an3']) AS x, x IN aset
;;
CREATE TABLE ties_src (app String, anon String, user String, ts Int64) ENGINE = MergeTree ORDER BY (app, anon)
;;
INSERT INTO ties_src VALUES ('a','an1','u1',10),('a','an1','u9',5),('a','an2','u2',1)
