## overview:raw
SELECT countIf(n > 0), sum(n), countIf(fs < {HI}) FROM (SELECT {P} AS person, uniqExactIf(id, {WIN}) AS n, if(countIf(type = 0 AND name = '$install') > 0, minIf(ts, type = 0 AND name = '$install'), min(ts)) AS fs {RAWSCAN} WHERE 1 GROUP BY person)
## overview:rollup
SELECT a.1, a.2, k FROM (SELECT (uniqExact({P}), uniqExactMerge(ids)) AS a, 1 AS j FROM (SELECT user, anon, ids FROM actor_days WHERE app = 'demo' AND day >= {A} AND day <= {B}) ANY LEFT JOIN {TIES} USING anon) ANY LEFT JOIN (SELECT countIf(fs < {HI}) AS k, 1 AS j FROM {PERSONS}) USING j
## sessions:raw
SELECT uniqExact(session) FROM events PREWHERE app = 'demo' WHERE {WIN} AND session != ''
## sessions:rollup
SELECT uniqExactIfMerge(sessions) FROM actor_days WHERE app = 'demo' AND day >= {A} AND day <= {B}
## features:raw
SELECT name, countIf(n > 0) AS users, sum(n) AS uses, countIf(fu >= {LO} AND fu < {HI}) AS new_users FROM (SELECT name, {P} AS person, min(ts) AS fu, uniqExactIf(id, {WIN}) AS n {RAWSCAN} WHERE {FU} GROUP BY name, person) GROUP BY name HAVING users > 0 ORDER BY name
## features:rollup
SELECT name, users, uses, new_users FROM (SELECT name, uniqExact({P}) AS users, uniqExactMerge(ids) AS uses FROM (SELECT name, user, anon, ids FROM feature_days WHERE app = 'demo' AND day >= {A} AND day <= {B}) ANY LEFT JOIN {TIES} USING anon GROUP BY name)
ANY LEFT JOIN (SELECT name, countIf(fu >= {LO} AND fu < {HI}) AS new_users FROM {FIRSTUSE} GROUP BY name) USING name ORDER BY name
## features_counts:rollup_sum_not_exact
SELECT name, uniqExact({P}) AS users, sum(uses) AS uses FROM (SELECT name, user, anon, uses FROM feature_days WHERE app = 'demo' AND day >= {A} AND day <= {B}) ANY LEFT JOIN {TIES} USING anon GROUP BY name ORDER BY name
## stick_dau:raw
SELECT toInt32(floor(ts / 86400000)) AS day, uniqExact({P}) {RAWSCAN} WHERE {WIN} GROUP BY day ORDER BY day
## stick_dau:rollup
SELECT day, uniqExact({P}) FROM (SELECT day, user, anon FROM actor_days WHERE app = 'demo' AND day >= {A} AND day <= {B}) ANY LEFT JOIN {TIES} USING anon GROUP BY day ORDER BY day
## stick_power:raw
SELECT days, count() FROM (SELECT {P} AS person, uniqExact(toInt32(floor(ts / 86400000))) AS days {RAWSCAN} WHERE {WIN} GROUP BY person) GROUP BY days ORDER BY days
## stick_power:rollup
SELECT days, count() FROM (SELECT {P} AS person, uniqExact(day) AS days FROM (SELECT day, user, anon FROM actor_days WHERE app = 'demo' AND day >= {A} AND day <= {B}) ANY LEFT JOIN {TIES} USING anon GROUP BY person) GROUP BY days ORDER BY days
## first_action:raw
SELECT name, count() AS users, arraySort(groupArray(d)) AS s, s[greatest(1, intDiv(users + 1, 2))] AS p50, s[greatest(1, intDiv(9 * users + 9, 10))] AS p90, intDiv(sum(d), users) AS mean FROM (SELECT name, person, greatest(fu - fs, 0) AS d FROM (SELECT name, {P} AS person, min(ts) AS fu {RAWSCAN} WHERE {FU} GROUP BY name, person HAVING fu >= {LO} AND fu < {HI}) ANY INNER JOIN (SELECT {P} AS person, if(countIf(type = 0 AND name = '$install') > 0, minIf(ts, type = 0 AND name = '$install'), min(ts)) AS fs {RAWSCAN} WHERE 1 GROUP BY person) USING person) GROUP BY name ORDER BY name
## first_action:rollup
SELECT name, count() AS users, arraySort(groupArray(d)) AS s, s[greatest(1, intDiv(users + 1, 2))] AS p50, s[greatest(1, intDiv(9 * users + 9, 10))] AS p90, intDiv(sum(d), users) AS mean FROM (SELECT name, person, greatest(fu - fs, 0) AS d FROM (SELECT name, person, fu FROM {FIRSTUSE} WHERE fu >= {LO} AND fu < {HI}) ANY INNER JOIN {PERSONS} USING person) GROUP BY name ORDER BY name
## device_p50:raw
SELECT feature, count() AS n, arraySort(groupArray(ms))[greatest(1, intDiv(n + 1, 2))] FROM (SELECT feature, {P} AS person, argMin(ms_since_install, (ts, id)) AS ms {RAWSCAN} WHERE type = 0 AND name = '$first_action' AND {WIN} GROUP BY feature, person) GROUP BY feature ORDER BY feature
## device_p50:rollup
SELECT feature, count() AS n, arraySort(groupArray(ms))[greatest(1, intDiv(n + 1, 2))] FROM (SELECT feature, {P} AS person, argMinMerge(first_ms) AS ms FROM (SELECT feature, user, anon, first_ms FROM marker_days WHERE app = 'demo' AND name = '$first_action' AND day >= {A} AND day <= {B}) ANY LEFT JOIN {TIES} USING anon GROUP BY feature, person) GROUP BY feature ORDER BY feature
## tips:raw
SELECT tip, tip_feature, countIf(s) AS shown, countIf(c) AS clicked, countIf(d) AS dismissed, countIf(s AND arrayExists((x, t) -> x > t AND x <= t + 604800000, uses, arrayResize([st], length(uses), st))) AS converted, countIf(h) AS held_out, countIf(h AND arrayExists((x, t) -> x > t AND x <= t + 604800000, uses, arrayResize([ht], length(uses), ht))) AS held_conv
FROM (SELECT tip, feature AS tip_feature, {P} AS person, countIf(name = '$tip_shown') > 0 AS s, minIf(ts, name = '$tip_shown') AS st, countIf(name = '$tip_clicked') > 0 AS c, countIf(name = '$tip_dismissed') > 0 AS d, countIf(name = '$tip_held_out') > 0 AS h, minIf(ts, name = '$tip_held_out') AS ht {RAWSCAN} WHERE type = 0 AND name IN ('$tip_shown', '$tip_clicked', '$tip_dismissed', '$tip_held_out') AND {WIN} GROUP BY tip, tip_feature, person)
ANY LEFT JOIN (SELECT name AS tip_feature, {P} AS person, groupArray(ts) AS uses {RAWSCAN} WHERE {FU} AND ts >= {LO} AND ts < {HI} + 604800000 GROUP BY tip_feature, person) USING tip_feature, person GROUP BY tip, tip_feature ORDER BY tip, tip_feature
## tips:rollup
SELECT tip, tip_feature, countIf(s) AS shown, countIf(c) AS clicked, countIf(d) AS dismissed,
  countIf(s AND arrayExists((t, x) -> (t.1 = toInt32(floor(x / 86400000)) AND t.3 > x) OR (t.1 > toInt32(floor(x / 86400000)) AND t.1 < toInt32(floor(x / 86400000)) + 7) OR (t.1 = toInt32(floor(x / 86400000)) + 7 AND t.2 <= x + 604800000), uses, arrayResize([st], length(uses), st))) AS converted,
  countIf(h) AS held_out,
  countIf(h AND arrayExists((t, x) -> (t.1 = toInt32(floor(x / 86400000)) AND t.3 > x) OR (t.1 > toInt32(floor(x / 86400000)) AND t.1 < toInt32(floor(x / 86400000)) + 7) OR (t.1 = toInt32(floor(x / 86400000)) + 7 AND t.2 <= x + 604800000), uses, arrayResize([ht], length(uses), ht))) AS held_conv
FROM (SELECT tip, feature AS tip_feature, person, max(name = '$tip_shown') AS s, minIf(f, name = '$tip_shown') AS st, max(name = '$tip_clicked') AS c, max(name = '$tip_dismissed') AS d, max(name = '$tip_held_out') AS h, minIf(f, name = '$tip_held_out') AS ht
      FROM (SELECT tip, feature, name, {P} AS person, f FROM (SELECT tip, feature, name, user, anon, finalizeAggregation(first_ts) AS f FROM marker_days WHERE app = 'demo' AND name IN ('$tip_shown', '$tip_clicked', '$tip_dismissed', '$tip_held_out') AND day >= {A} AND day <= {B}) ANY LEFT JOIN {TIES} USING anon)
      GROUP BY tip, tip_feature, person)
ANY LEFT JOIN (SELECT name AS tip_feature, {P} AS person, groupArray((day, f, l)) AS uses FROM (SELECT name, day, user, anon, finalizeAggregation(first_ts) AS f, finalizeAggregation(last_ts) AS l FROM feature_days WHERE app = 'demo' AND day >= {A} AND day <= {B} + 7 AND name IN (SELECT DISTINCT feature FROM marker_days WHERE app = 'demo' AND day >= {A} AND day <= {B} AND name IN ('$tip_shown', '$tip_held_out'))) ANY LEFT JOIN {TIES} USING anon GROUP BY tip_feature, person) USING tip_feature, person
GROUP BY tip, tip_feature ORDER BY tip, tip_feature
## retention:raw
SELECT cohort, k, count() FROM (SELECT person, fs, toInt32(floor(fs / 86400000)) AS fd, fd - ((fd + 3) % 7) AS cohort, arrayJoin(arrayDistinct(arrayMap(d -> intDiv(d - cohort, 7), arrayFilter(d -> d >= cohort AND d <= {B}, days)))) AS k FROM (SELECT {P} AS person, if(countIf(type = 0 AND name = '$install') > 0, minIf(ts, type = 0 AND name = '$install'), min(ts)) AS fs, groupUniqArray(toInt32(floor(ts / 86400000))) AS days {RAWSCAN} WHERE 1 GROUP BY person) WHERE fs >= {LO} AND fs < {HI}) GROUP BY cohort, k ORDER BY cohort, k
## retention:rollup
SELECT cohort, k, count() FROM (SELECT person, fs, toInt32(floor(fs / 86400000)) AS fd, fd - ((fd + 3) % 7) AS cohort, arrayJoin(arrayDistinct(arrayMap(d -> intDiv(d - cohort, 7), arrayFilter(d -> d >= cohort AND d <= {B}, days)))) AS k FROM (SELECT person, fs FROM {PERSONS} WHERE fs >= {LO} AND fs < {HI}) ANY INNER JOIN (SELECT {P} AS person, groupUniqArray(day) AS days FROM (SELECT day, user, anon FROM actor_days WHERE app = 'demo' AND day >= {A} - 6 AND day <= {B}) ANY LEFT JOIN {TIES} USING anon GROUP BY person) USING person) GROUP BY cohort, k ORDER BY cohort, k
## trends_day:raw
SELECT toInt32(floor(ts / 86400000)) AS day, name, uniqExact({P}), uniqExact(id) {RAWSCAN} WHERE {FU} AND {WIN} GROUP BY day, name ORDER BY day, name
## trends_day:rollup
SELECT day, name, uniqExact({P}), uniqExactMerge(ids) FROM (SELECT day, name, user, anon, ids FROM feature_days WHERE app = 'demo' AND day >= {A} AND day <= {B}) ANY LEFT JOIN {TIES} USING anon GROUP BY day, name ORDER BY day, name
## trends_week:raw
SELECT toMonday(toDate(intDiv(ts, 1000))) AS wk, name, uniqExact({P}), uniqExact(id) {RAWSCAN} WHERE {FU} AND {WIN} GROUP BY wk, name ORDER BY wk, name
## trends_week:rollup
SELECT toMonday(toDate(day)) AS wk, name, uniqExact({P}), uniqExactMerge(ids) FROM (SELECT day, name, user, anon, ids FROM feature_days WHERE app = 'demo' AND day >= {A} AND day <= {B}) ANY LEFT JOIN {TIES} USING anon GROUP BY wk, name ORDER BY wk, name
## trends_new:raw
SELECT toInt32(floor(fu / 86400000)) AS day, name, count() FROM (SELECT name, {P} AS person, min(ts) AS fu {RAWSCAN} WHERE {FU} GROUP BY name, person) WHERE fu >= {LO} AND fu < {HI} GROUP BY day, name ORDER BY day, name
## trends_new:rollup
SELECT toInt32(floor(fu / 86400000)) AS day, name, count() FROM {FIRSTUSE} WHERE fu >= {LO} AND fu < {HI} GROUP BY day, name ORDER BY day, name
## releases:raw
SELECT app_version, min(toInt32(floor(ts / 86400000))) AS first_day, uniqExactIf({P}, {WIN}) AS users, uniqExactIf(id, {WIN}) AS events {RAWSCAN} WHERE app_version != '' GROUP BY app_version HAVING events > 0 ORDER BY app_version
## releases:rollup
SELECT app_version, min(day) AS first_day, uniqExactIf({P}, day >= {A} AND day <= {B}) AS users, uniqExactMergeIf(ids, day >= {A} AND day <= {B}) AS events FROM (SELECT day, app_version, user, anon, ids FROM actor_days WHERE app = 'demo' AND app_version != '') ANY LEFT JOIN {TIES} USING anon GROUP BY app_version HAVING events > 0 ORDER BY app_version
## accounts:raw
SELECT account, count() AS seats, countIf(act) AS active, countIf(prev) AS prev_active FROM (SELECT person, account FROM (SELECT {P} AS person, argMax(account, (ts, account)) AS account {RAWSCAN} WHERE type = 2 GROUP BY person)) ANY INNER JOIN (SELECT {P} AS person, if(countIf(type = 0 AND name = '$install') > 0, minIf(ts, type = 0 AND name = '$install'), min(ts)) AS fs, countIf({WIN}) > 0 AS act, countIf(ts >= {LO} - ({HI} - {LO}) AND ts < {LO}) > 0 AS prev {RAWSCAN} WHERE 1 GROUP BY person) USING person WHERE fs < {HI} GROUP BY account ORDER BY account
## accounts:rollup
SELECT account, count() AS seats, countIf(act) AS active, countIf(prev) AS prev_active FROM (SELECT person, fs, account FROM {PERSONS} WHERE account != '' AND fs < {HI}) ANY LEFT JOIN (SELECT {P} AS person, max(day >= {A}) AS act, max(day < {A}) AS prev FROM (SELECT day, user, anon FROM actor_days WHERE app = 'demo' AND day >= {A} - ({B} - {A} + 1) AND day <= {B}) ANY LEFT JOIN {TIES} USING anon GROUP BY person) USING person GROUP BY account ORDER BY account
## champions:raw
SELECT person, uniqExactIf(name, {FU}) AS features, uniqExactIf(name, {FU} AND name IN ('f1', 'f5', 'f9')) AS key_actions, uniqExact(toInt32(floor(ts / 86400000))) AS active_days, uniqExactIf(id, {FU}) AS uses FROM (SELECT {P} AS person, name, ts, id, type {RAWSCAN} WHERE {WIN}) GROUP BY person ORDER BY features DESC, key_actions DESC, active_days DESC, person LIMIT 100
## champions:rollup
SELECT person, features, key_actions, active_days, uses FROM (SELECT {P} AS person, uniqExact(day) AS active_days FROM (SELECT day, user, anon FROM actor_days WHERE app = 'demo' AND day >= {A} AND day <= {B}) ANY LEFT JOIN {TIES} USING anon GROUP BY person) ANY LEFT JOIN (SELECT {P} AS person, uniqExact(name) AS features, uniqExactIf(name, name IN ('f1', 'f5', 'f9')) AS key_actions, uniqExactMerge(ids) AS uses FROM (SELECT name, user, anon, ids FROM feature_days WHERE app = 'demo' AND day >= {A} AND day <= {B}) ANY LEFT JOIN {TIES} USING anon GROUP BY person) USING person ORDER BY features DESC, key_actions DESC, active_days DESC, person LIMIT 100
## funnel:raw
SELECT uniqExactIf(person, aware), uniqExactIf(person, interested), uniqExactIf(person, trial), uniqExactIf(person, adopted) FROM (SELECT {P} AS person, max(name = 'f3' OR (name = '$tip_shown' AND feature = 'f3')) AS aware, max(name = 'f3' OR (name = '$tip_clicked' AND feature = 'f3')) AS interested, max(name = 'f3') AS trial, uniqExactIf(toInt32(floor(ts / 86400000)), name = 'f3') >= 3 AS adopted {RAWSCAN} WHERE type = 0 AND (name = 'f3' OR (name IN ('$tip_shown', '$tip_clicked') AND feature = 'f3')) AND {WIN} GROUP BY person)
## funnel:rollup
SELECT uniqExactIf(person, aware), uniqExactIf(person, interested), uniqExactIf(person, trial), uniqExactIf(person, adopted) FROM (SELECT person, max(m = 'f3' OR m = '$tip_shown') AS aware, max(m = 'f3' OR m = '$tip_clicked') AS interested, max(m = 'f3') AS trial, uniqExactIf(day, m = 'f3') >= 3 AS adopted FROM (SELECT {P} AS person, m, day FROM (SELECT name AS m, day, user, anon FROM feature_days WHERE app = 'demo' AND name = 'f3' AND day >= {A} AND day <= {B} UNION ALL SELECT name AS m, day, user, anon FROM marker_days WHERE app = 'demo' AND name IN ('$tip_shown', '$tip_clicked') AND feature = 'f3' AND day >= {A} AND day <= {B}) ANY LEFT JOIN {TIES} USING anon) GROUP BY person)
## product_adoption:raw
SELECT countIf(fs >= {LO} AND fs < {HI}), countIf(fs >= {LO} AND fs < {HI} AND d >= 2) FROM (SELECT {P} AS person, if(countIf(type = 0 AND name = '$install') > 0, minIf(ts, type = 0 AND name = '$install'), min(ts)) AS fs, uniqExactIf(toInt32(floor(ts / 86400000)), {WIN}) AS d {RAWSCAN} WHERE 1 GROUP BY person)
## product_adoption:rollup
SELECT count(), countIf(d >= 2) FROM (SELECT person FROM {PERSONS} WHERE fs >= {LO} AND fs < {HI}) ANY LEFT JOIN (SELECT {P} AS person, uniqExact(day) AS d FROM (SELECT day, user, anon FROM actor_days WHERE app = 'demo' AND day >= {A} AND day <= {B}) ANY LEFT JOIN {TIES} USING anon GROUP BY person) USING person
