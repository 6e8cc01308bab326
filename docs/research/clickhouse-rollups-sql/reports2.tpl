## features:raw
SELECT name, countIf(n > 0) AS users, sum(n) AS uses, countIf(fu >= {LO} AND fu < {HI}) AS new_users FROM (SELECT name, {P} AS person, min(ts) AS fu, uniqExactIf(id, {WIN}) AS n {RAWSCAN} WHERE {FU} GROUP BY name, person) GROUP BY name HAVING users > 0 ORDER BY name
## features:raw_preagg_per_actor
SELECT name, countIf(n > 0) AS users, sum(n) AS uses, countIf(fu >= {LO} AND fu < {HI}) AS new_users FROM (SELECT name, {P} AS person, min(f) AS fu, sum(n) AS n FROM (SELECT name, user, anon, min(ts) AS f, uniqExactIf(id, {WIN}) AS n FROM events PREWHERE app = 'demo' WHERE {FU} GROUP BY name, user, anon) ANY LEFT JOIN {TIES} USING anon GROUP BY name, person) GROUP BY name HAVING users > 0 ORDER BY name
## features:rollup
SELECT name, users, uses, new_users FROM (SELECT name, users, uses FROM (SELECT name, uniqExact({P}) AS users FROM (SELECT DISTINCT name, user, anon FROM feature_days WHERE app = 'demo' AND day >= {A} AND day <= {B}) ANY LEFT JOIN {TIES} USING anon GROUP BY name) ANY LEFT JOIN (SELECT name, uniqExactMerge(ids) AS uses FROM feature_days WHERE app = 'demo' AND day >= {A} AND day <= {B} GROUP BY name) USING name)
ANY LEFT JOIN (SELECT name, countIf(fu >= {LO}) AS new_users FROM {FIRSTUSE2} GROUP BY name) USING name ORDER BY name
## features:rollup_hashed_ids
SELECT name, users, uses, new_users FROM (SELECT name, users, uses FROM (SELECT name, uniqExact({P}) AS users FROM (SELECT DISTINCT name, user, anon FROM feature_days WHERE app = 'demo' AND day >= {A} AND day <= {B}) ANY LEFT JOIN {TIES} USING anon GROUP BY name) ANY LEFT JOIN (SELECT name, uniqExactMerge(hids) AS uses FROM feature_days_h WHERE app = 'demo' AND day >= {A} AND day <= {B} GROUP BY name) USING name)
ANY LEFT JOIN (SELECT name, countIf(fu >= {LO}) AS new_users FROM {FIRSTUSE2} GROUP BY name) USING name ORDER BY name
## features:rollup_counts_not_exact_under_races
SELECT name, users, uses, new_users FROM (SELECT name, users, uses FROM (SELECT name, uniqExact({P}) AS users FROM (SELECT DISTINCT name, user, anon FROM feature_days WHERE app = 'demo' AND day >= {A} AND day <= {B}) ANY LEFT JOIN {TIES} USING anon GROUP BY name) ANY LEFT JOIN (SELECT name, sum(uses) AS uses FROM feature_days WHERE app = 'demo' AND day >= {A} AND day <= {B} GROUP BY name) USING name)
ANY LEFT JOIN (SELECT name, countIf(fu >= {LO}) AS new_users FROM {FIRSTUSE2} GROUP BY name) USING name ORDER BY name
## overview:raw
SELECT countIf(n > 0), sum(n), countIf(fs < {HI}) FROM (SELECT {P} AS person, uniqExactIf(id, {WIN}) AS n, if(countIf(type = 0 AND name = '$install') > 0, minIf(ts, type = 0 AND name = '$install'), min(ts)) AS fs {RAWSCAN} WHERE 1 GROUP BY person)
## overview:rollup
SELECT a, e, k FROM (SELECT a, e, 1 AS j FROM (SELECT uniqExact({P}) AS a, 1 AS j FROM (SELECT DISTINCT user, anon FROM actor_days WHERE app = 'demo' AND day >= {A} AND day <= {B}) ANY LEFT JOIN {TIES} USING anon) ANY LEFT JOIN (SELECT uniqExactMerge(ids) AS e, 1 AS j FROM actor_days WHERE app = 'demo' AND day >= {A} AND day <= {B}) USING j) ANY LEFT JOIN (SELECT countIf(fs < {HI}) AS k, 1 AS j FROM {PERSONS}) USING j
## first_action:raw
SELECT name, count() AS users, arraySort(groupArray(d)) AS s, s[greatest(1, intDiv(users + 1, 2))] AS p50, s[greatest(1, intDiv(9 * users + 9, 10))] AS p90, intDiv(sum(d), users) AS mean FROM (SELECT name, person, greatest(fu - fs, 0) AS d FROM (SELECT name, {P} AS person, min(ts) AS fu {RAWSCAN} WHERE {FU} GROUP BY name, person HAVING fu >= {LO} AND fu < {HI}) ANY INNER JOIN (SELECT {P} AS person, if(countIf(type = 0 AND name = '$install') > 0, minIf(ts, type = 0 AND name = '$install'), min(ts)) AS fs {RAWSCAN} WHERE 1 GROUP BY person) USING person) GROUP BY name ORDER BY name
## first_action:rollup
SELECT name, count() AS users, arraySort(groupArray(d)) AS s, s[greatest(1, intDiv(users + 1, 2))] AS p50, s[greatest(1, intDiv(9 * users + 9, 10))] AS p90, intDiv(sum(d), users) AS mean FROM (SELECT name, person, greatest(fu - fs, 0) AS d FROM (SELECT name, person, fu FROM {FIRSTUSE2} WHERE fu >= {LO}) ANY INNER JOIN {PERSONS} USING person) GROUP BY name ORDER BY name
## trends_new:raw
SELECT toInt32(floor(fu / 86400000)) AS day, name, count() FROM (SELECT name, {P} AS person, min(ts) AS fu {RAWSCAN} WHERE {FU} GROUP BY name, person) WHERE fu >= {LO} AND fu < {HI} GROUP BY day, name ORDER BY day, name
## trends_new:rollup
SELECT toInt32(floor(fu / 86400000)) AS day, name, count() FROM {FIRSTUSE2} WHERE fu >= {LO} GROUP BY day, name ORDER BY day, name
## champions:raw
SELECT person, uniqExactIf(name, {FU}) AS features, uniqExactIf(name, {FU} AND name IN ('f1', 'f5', 'f9')) AS key_actions, uniqExact(toInt32(floor(ts / 86400000))) AS active_days, uniqExactIf(id, {FU}) AS uses FROM (SELECT {P} AS person, name, ts, id, type {RAWSCAN} WHERE {WIN}) GROUP BY person ORDER BY features DESC, key_actions DESC, active_days DESC, person LIMIT 100
## champions:rollup
SELECT person, features, key_actions, active_days, uses FROM (SELECT {P} AS person, uniqExact(day) AS active_days FROM (SELECT DISTINCT day, user, anon FROM actor_days WHERE app = 'demo' AND day >= {A} AND day <= {B}) ANY LEFT JOIN {TIES} USING anon GROUP BY person) ANY LEFT JOIN (SELECT {P} AS person, uniqExact(name) AS features, uniqExactIf(name, name IN ('f1', 'f5', 'f9')) AS key_actions, sum(n) AS uses FROM (SELECT name, user, anon, uniqExactMerge(ids) AS n FROM feature_days WHERE app = 'demo' AND day >= {A} AND day <= {B} GROUP BY name, user, anon) ANY LEFT JOIN {TIES} USING anon GROUP BY person) USING person ORDER BY features DESC, key_actions DESC, active_days DESC, person LIMIT 100
## releases:raw
SELECT app_version, min(toInt32(floor(ts / 86400000))) AS first_day, uniqExactIf({P}, {WIN}) AS users, uniqExactIf(id, {WIN}) AS events {RAWSCAN} WHERE app_version != '' GROUP BY app_version HAVING events > 0 ORDER BY app_version
## releases:rollup
SELECT app_version, first_day, users, events FROM (SELECT app_version, uniqExact({P}) AS users FROM (SELECT DISTINCT app_version, user, anon FROM actor_days WHERE app = 'demo' AND app_version != '' AND day >= {A} AND day <= {B}) ANY LEFT JOIN {TIES} USING anon GROUP BY app_version) ANY INNER JOIN (SELECT app_version, min(day) AS first_day, uniqExactMergeIf(ids, day >= {A} AND day <= {B}) AS events FROM actor_days WHERE app = 'demo' AND app_version != '' AND day <= {B} GROUP BY app_version) USING app_version ORDER BY app_version
## trends_day:raw
SELECT toInt32(floor(ts / 86400000)) AS day, name, uniqExact({P}), uniqExact(id) {RAWSCAN} WHERE {FU} AND {WIN} GROUP BY day, name ORDER BY day, name
## trends_day:rollup
SELECT day, name, u, n FROM (SELECT day, name, uniqExact({P}) AS u FROM (SELECT day, name, user, anon FROM feature_days WHERE app = 'demo' AND day >= {A} AND day <= {B}) ANY LEFT JOIN {TIES} USING anon GROUP BY day, name) ANY LEFT JOIN (SELECT day, name, uniqExactMerge(ids) AS n FROM feature_days WHERE app = 'demo' AND day >= {A} AND day <= {B} GROUP BY day, name) USING day, name ORDER BY day, name
