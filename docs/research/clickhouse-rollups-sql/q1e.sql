CREATE TABLE ties1 (anon String, user String) ENGINE = Join(ANY, LEFT, anon)
;;
INSERT INTO ties1 VALUES ('an1','u1'),('an2','u2')
;;
INSERT INTO ties1 VALUES ('an1','u7')
;;
SELECT joinGet('ties1', 'user', 'an1'), joinGet('ties1', 'user', 'zz')
;;
SELECT anon, user FROM (SELECT arrayJoin(['an1','an3']) AS anon) ANY LEFT JOIN ties1 USING anon
;;
SELECT * FROM ties1
;;
CREATE TABLE ties_agg (app String, anon String, tie AggregateFunction(argMin, String, Tuple(Int64, String))) ENGINE = AggregatingMergeTree() ORDER BY (app, anon)
;;
INSERT INTO ties_agg SELECT app, anon, argMinState(user, (ts, user)) FROM ties_src GROUP BY app, anon
;;
SELECT app, anon, argMinMerge(tie) FROM ties_agg GROUP BY app, anon ORDER BY anon
;;
CREATE VIEW ties_v AS SELECT app, anon, argMinMerge(tie) AS user FROM ties_agg GROUP BY app, anon
;;
SELECT * FROM ties_v ORDER BY anon
