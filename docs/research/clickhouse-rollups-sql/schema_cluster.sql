CREATE DATABASE IF NOT EXISTS c
;;
CREATE TABLE c.events_local (app String, id String, type UInt8, name String, anon String, user String, ts Int64, client_ts Int64, received_at Int64, session String, app_version String, props String, tip String, feature String, ms_since_install Int64, account String) ENGINE = ReplacingMergeTree() ORDER BY (app, id)
;;
CREATE TABLE c.ties_local (app String, anon String, tie AggregateFunction(argMin, String, Tuple(Int64, String))) ENGINE = AggregatingMergeTree() ORDER BY (app, anon)
;;
CREATE MATERIALIZED VIEW c.ties_mv TO c.ties_local AS SELECT app, anon, argMinState(user, (ts, user)) AS tie FROM c.events_local WHERE type = 1 GROUP BY app, anon
;;
CREATE TABLE c.actors_local (app String, user String, anon String, first_ts AggregateFunction(min, Int64), install_ts AggregateFunction(min, Int64), account AggregateFunction(argMax, String, Tuple(Int64, String))) ENGINE = AggregatingMergeTree() ORDER BY (app, user, anon)
;;
CREATE MATERIALIZED VIEW c.actors_mv TO c.actors_local AS SELECT app, user, anon, minState(ts) AS first_ts, minState(if(type = 0 AND name = '$install', ts, toInt64(9223372036854775807))) AS install_ts, argMaxState(account, if(type = 2, (ts, account), (toInt64(-9223372036854775808), ''))) AS account FROM c.events_local GROUP BY app, user, anon
;;
CREATE TABLE c.actor_days_local (app String, day Int32, user String, anon String, app_version String, events UInt64, ids AggregateFunction(uniqExact, String), sessions AggregateFunction(uniqExactIf, String, UInt8)) ENGINE = SummingMergeTree() ORDER BY (app, day, user, anon, app_version)
;;
CREATE MATERIALIZED VIEW c.actor_days_mv TO c.actor_days_local AS SELECT app, toInt32(floor(ts / 86400000)) AS day, user, anon, app_version, count() AS events, uniqExactState(id) AS ids, uniqExactIfState(session, session != '') AS sessions FROM c.events_local GROUP BY app, day, user, anon, app_version
;;
CREATE TABLE c.feature_days_local (app String, day Int32, name String, user String, anon String, uses UInt64, ids AggregateFunction(uniqExact, String), first_ts AggregateFunction(min, Int64), last_ts AggregateFunction(max, Int64)) ENGINE = SummingMergeTree() ORDER BY (app, day, name, user, anon)
;;
CREATE MATERIALIZED VIEW c.feature_days_mv TO c.feature_days_local AS SELECT app, toInt32(floor(ts / 86400000)) AS day, name, user, anon, count() AS uses, uniqExactState(id) AS ids, minState(ts) AS first_ts, maxState(ts) AS last_ts FROM c.events_local WHERE type = 0 AND name != '' AND substring(name, 1, 1) != '$' GROUP BY app, day, name, user, anon
;;
CREATE TABLE c.actor_features_local (app String, name String, user String, anon String, first_ts AggregateFunction(min, Int64)) ENGINE = AggregatingMergeTree() ORDER BY (app, name, user, anon)
;;
CREATE MATERIALIZED VIEW c.actor_features_mv TO c.actor_features_local AS SELECT app, name, user, anon, minState(ts) AS first_ts FROM c.events_local WHERE type = 0 AND name != '' AND substring(name, 1, 1) != '$' GROUP BY app, name, user, anon
;;
CREATE TABLE c.marker_days_local (app String, day Int32, name String, tip String, feature String, user String, anon String, first_ts AggregateFunction(min, Int64), first_ms AggregateFunction(argMin, Int64, Tuple(Int64, String))) ENGINE = AggregatingMergeTree() ORDER BY (app, day, name, tip, feature, user, anon)
;;
CREATE MATERIALIZED VIEW c.marker_days_mv TO c.marker_days_local AS SELECT app, toInt32(floor(ts / 86400000)) AS day, name, tip, feature, user, anon, minState(ts) AS first_ts, argMinState(ms_since_install, (ts, id)) AS first_ms FROM c.events_local WHERE type = 0 AND name IN ('$tip_shown', '$tip_clicked', '$tip_dismissed', '$tip_held_out', '$first_action') GROUP BY app, day, name, tip, feature, user, anon
;;
CREATE TABLE c.person_events_local AS c.events_local ENGINE = ReplacingMergeTree() ORDER BY (app, id)
;;
CREATE MATERIALIZED VIEW c.person_events_mv TO c.person_events_local AS SELECT * FROM c.events_local WHERE type IN (1, 2) OR substring(name, 1, 8) = '$survey_'
;;
CREATE TABLE c.events AS c.events_local ENGINE = Distributed(uptake, c, events_local, cityHash64(app, anon))
;;
CREATE TABLE c.ties AS c.ties_local ENGINE = Distributed(uptake, c, ties_local, cityHash64(app, anon))
;;
CREATE TABLE c.actors AS c.actors_local ENGINE = Distributed(uptake, c, actors_local, cityHash64(app, anon))
;;
CREATE TABLE c.actor_days AS c.actor_days_local ENGINE = Distributed(uptake, c, actor_days_local, cityHash64(app, anon))
;;
CREATE TABLE c.feature_days AS c.feature_days_local ENGINE = Distributed(uptake, c, feature_days_local, cityHash64(app, anon))
;;
CREATE TABLE c.actor_features AS c.actor_features_local ENGINE = Distributed(uptake, c, actor_features_local, cityHash64(app, anon))
;;
CREATE TABLE c.marker_days AS c.marker_days_local ENGINE = Distributed(uptake, c, marker_days_local, cityHash64(app, anon))
;;
CREATE TABLE c.person_events AS c.person_events_local ENGINE = Distributed(uptake, c, person_events_local, cityHash64(app, anon))
