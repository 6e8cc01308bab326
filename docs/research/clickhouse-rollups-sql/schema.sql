CREATE DATABASE IF NOT EXISTS __DB__
;;
CREATE TABLE __DB__.events (app String, id String, type UInt8, name String, anon String, user String, ts Int64, client_ts Int64, received_at Int64, session String, app_version String, props String, tip String, feature String, ms_since_install Int64, account String) ENGINE = ReplacingMergeTree() ORDER BY (app, id)
;;
CREATE TABLE __DB__.ties (app String, anon String, tie AggregateFunction(argMin, String, Tuple(Int64, String))) ENGINE = AggregatingMergeTree() ORDER BY (app, anon)
;;
CREATE MATERIALIZED VIEW __DB__.ties_mv TO __DB__.ties AS SELECT app, anon, argMinState(user, (ts, user)) AS tie FROM __DB__.events WHERE type = 1 GROUP BY app, anon
;;
CREATE TABLE __DB__.actors (app String, user String, anon String, first_ts AggregateFunction(min, Int64), install_ts AggregateFunction(minIf, Int64, UInt8), account AggregateFunction(argMaxIf, String, Tuple(Int64, String), UInt8)) ENGINE = AggregatingMergeTree() ORDER BY (app, user, anon)
;;
CREATE MATERIALIZED VIEW __DB__.actors_mv TO __DB__.actors AS SELECT app, user, anon, minState(ts) AS first_ts, minIfState(ts, type = 0 AND name = '$install') AS install_ts, argMaxIfState(account, (ts, account), type = 2) AS account FROM __DB__.events GROUP BY app, user, anon
;;
CREATE TABLE __DB__.actor_days (app String, day Int32, user String, anon String, app_version String, events UInt64, ids AggregateFunction(uniqExact, String), sessions AggregateFunction(uniqExactIf, String, UInt8)) ENGINE = SummingMergeTree() ORDER BY (app, day, user, anon, app_version)
;;
CREATE MATERIALIZED VIEW __DB__.actor_days_mv TO __DB__.actor_days AS SELECT app, toInt32(floor(ts / 86400000)) AS day, user, anon, app_version, count() AS events, uniqExactState(id) AS ids, uniqExactIfState(session, session != '') AS sessions FROM __DB__.events GROUP BY app, day, user, anon, app_version
;;
CREATE TABLE __DB__.feature_days (app String, day Int32, name String, user String, anon String, uses UInt64, ids AggregateFunction(uniqExact, String), first_ts AggregateFunction(min, Int64), last_ts AggregateFunction(max, Int64)) ENGINE = SummingMergeTree() ORDER BY (app, day, name, user, anon)
;;
CREATE MATERIALIZED VIEW __DB__.feature_days_mv TO __DB__.feature_days AS SELECT app, toInt32(floor(ts / 86400000)) AS day, name, user, anon, count() AS uses, uniqExactState(id) AS ids, minState(ts) AS first_ts, maxState(ts) AS last_ts FROM __DB__.events WHERE type = 0 AND name != '' AND substring(name, 1, 1) != '$' GROUP BY app, day, name, user, anon
;;
CREATE TABLE __DB__.actor_features (app String, name String, user String, anon String, first_ts AggregateFunction(min, Int64)) ENGINE = AggregatingMergeTree() ORDER BY (app, name, user, anon)
;;
CREATE MATERIALIZED VIEW __DB__.actor_features_mv TO __DB__.actor_features AS SELECT app, name, user, anon, minState(ts) AS first_ts FROM __DB__.events WHERE type = 0 AND name != '' AND substring(name, 1, 1) != '$' GROUP BY app, name, user, anon
;;
CREATE TABLE __DB__.marker_days (app String, day Int32, name String, tip String, feature String, user String, anon String, first_ts AggregateFunction(min, Int64), first_ms AggregateFunction(argMin, Int64, Tuple(Int64, String))) ENGINE = AggregatingMergeTree() ORDER BY (app, day, name, tip, feature, user, anon)
;;
CREATE MATERIALIZED VIEW __DB__.marker_days_mv TO __DB__.marker_days AS SELECT app, toInt32(floor(ts / 86400000)) AS day, name, tip, feature, user, anon, minState(ts) AS first_ts, argMinState(ms_since_install, (ts, id)) AS first_ms FROM __DB__.events WHERE type = 0 AND name IN ('$tip_shown', '$tip_clicked', '$tip_dismissed', '$tip_held_out', '$first_action') GROUP BY app, day, name, tip, feature, user, anon
;;
CREATE TABLE __DB__.person_events AS __DB__.events ENGINE = ReplacingMergeTree() ORDER BY (app, id)
;;
CREATE MATERIALIZED VIEW __DB__.person_events_mv TO __DB__.person_events AS SELECT * FROM __DB__.events WHERE type IN (1, 2) OR substring(name, 1, 8) = '$survey_'
;;
CREATE TABLE __DB__.feature_days_h (app String, day Int32, name String, user String, anon String, uses UInt64, hids AggregateFunction(uniqExact, UInt64)) ENGINE = SummingMergeTree() ORDER BY (app, day, name, user, anon)
;;
CREATE MATERIALIZED VIEW __DB__.feature_days_h_mv TO __DB__.feature_days_h AS SELECT app, toInt32(floor(ts / 86400000)) AS day, name, user, anon, count() AS uses, uniqExactState(cityHash64(id)) AS hids FROM __DB__.events WHERE type = 0 AND name != '' AND substring(name, 1, 1) != '$' GROUP BY app, day, name, user, anon
