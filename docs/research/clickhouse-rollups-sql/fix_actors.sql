DROP TABLE __DB__.actors_mv
;;
DROP TABLE __DB__.actors
;;
CREATE TABLE __DB__.actors (app String, user String, anon String, first_ts AggregateFunction(min, Int64), install_ts AggregateFunction(min, Int64), account AggregateFunction(argMax, String, Tuple(Int64, String))) ENGINE = AggregatingMergeTree() ORDER BY (app, user, anon)
;;
CREATE MATERIALIZED VIEW __DB__.actors_mv TO __DB__.actors AS SELECT app, user, anon, minState(ts) AS first_ts, minState(if(type = 0 AND name = '$install', ts, toInt64(9223372036854775807))) AS install_ts, argMaxState(account, if(type = 2, (ts, account), (toInt64(-9223372036854775808), ''))) AS account FROM __DB__.events GROUP BY app, user, anon
;;
INSERT INTO __DB__.actors SELECT app, user, anon, minState(ts) AS first_ts, minState(if(type = 0 AND name = '$install', ts, toInt64(9223372036854775807))) AS install_ts, argMaxState(account, if(type = 2, (ts, account), (toInt64(-9223372036854775808), ''))) AS account FROM __DB__.events GROUP BY app, user, anon
