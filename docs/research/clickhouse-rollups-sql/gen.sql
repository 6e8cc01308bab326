DROP TABLE IF EXISTS __DB__.gen
;;
CREATE TABLE __DB__.gen AS __DB__.events ENGINE = MergeTree() ORDER BY tuple()
;;
DROP TABLE IF EXISTS __DB__.persons
;;
CREATE TABLE __DB__.persons ENGINE = Memory AS
SELECT p, nd, s, ident, devs, days, uid,
  if(ident = 1, days[1] * 86400000, if(ident = 2, days[intDiv(nd, 2) + 1] * 86400000 + 43200000, toInt64(0))) AS t_id
FROM (
  SELECT p, nd, s, ident, devs,
    arrayMap(i -> toInt64(19723 + s + intDiv(i * (90 - s), nd) + (cityHash64(p, i, 'j') % greatest(1, intDiv(90 - s, nd)))), range(nd)) AS days,
    concat('u', hex(cityHash64(p, 'u'))) AS uid
  FROM (
    SELECT number AS p,
      toUInt32(least(90, greatest(1, round(exp(log(12) + 0.9 * (arraySum(arrayMap(i -> (cityHash64(number, i) % 1000000) / 1000000., range(12))) - 6)))))) AS nd,
      toUInt32(floor((cityHash64(number, 's') % 1000000) / 1000000. * (90 - nd + 1))) AS s,
      multiIf((cityHash64(number, 'id') % 100) < 30, 0, (cityHash64(number, 'id') % 100) < 80, 1, 2) AS ident,
      if((cityHash64(number, 'dv') % 100) < 10, 2, 1) AS devs
    FROM numbers(__NP__)))
;;
INSERT INTO __DB__.gen
SELECT 'demo' AS app, concat(hex(cityHash64(p, di, ei, 'id')), hex(cityHash64(p, di, ei, 'id2'))) AS id, 0 AS type,
  multiIf(u < 0.05, '$tip_shown', u < 0.07, '$tip_clicked', u < 0.08, '$tip_dismissed', u < 0.09, '$tip_held_out', u < 0.10, '$first_action', u < 0.11, '$session_start',
          concat('f', toString(toUInt32(floor(30 * pow((u - 0.11) / 0.89, 2)))))) AS name,
  lower(hex(cityHash64(p, dev, 'anon'))) AS anon,
  if(ident > 0 AND ts >= t_id, uid, '') AS user,
  ts, ts AS client_ts, ts + 1000 AS received_at,
  concat(anon, '-', toString(day), '-', toString(h % 2)) AS session,
  if(h % 20 = 0, '', concat('1.', toString(intDiv(day - 19723, 15)))) AS app_version,
  '' AS props,
  if(substring(name, 1, 4) = '$tip', concat('t', toString(h % 10)), '') AS tip,
  multiIf(substring(name, 1, 4) = '$tip', concat('f', toString((h % 10) * 3)), name = '$first_action', concat('f', toString(h % 30)), '') AS feature,
  if(name = '$first_action', toInt64(h % 10000000), toInt64(0)) AS ms_since_install,
  '' AS account
FROM (
  SELECT p, di, ei, day, dev, ident, t_id, uid,
    day * 86400000 + toInt64(cityHash64(p, di, ei, 't') % 86400000) AS ts,
    (cityHash64(p, di, ei, 'n') % 1000000) / 1000000. AS u,
    cityHash64(p, di, ei, 'h') AS h
  FROM (
    SELECT p, di, days[di + 1] AS day, if(devs = 2, cityHash64(p, di, 'dev') % 2, 0) AS dev, ident, t_id, uid,
      1 + toUInt32(floor(-log((cityHash64(p, di, 'k') % 1000000 + 1) / 1000001.) * __M__)) AS k
    FROM __DB__.persons ARRAY JOIN range(nd) AS di)
  ARRAY JOIN range(k) AS ei)
;;
INSERT INTO __DB__.gen
SELECT 'demo', concat(hex(cityHash64(p, dev, 'inst')), '00000000000000000000000000000000') AS id, 0, '$install', lower(hex(cityHash64(p, dev, 'anon'))) AS anon,
  if(ident > 0 AND ts >= t_id, uid, ''), ts, ts, ts + 1000, '', '1.0', '', '', '', 0, ''
FROM (SELECT p, dev, ident, t_id, uid, days[least(dev + 1, nd)] * 86400000 + dev AS ts FROM __DB__.persons ARRAY JOIN range(devs) AS dev WHERE cityHash64(p, dev, 'inst') % 10 != 0)
;;
INSERT INTO __DB__.gen
SELECT 'demo', concat(hex(cityHash64(p, dev, 'idf')), '11111111111111111111111111111111') AS id, 1, '', lower(hex(cityHash64(p, dev, 'anon'))), uid, t_id + dev, t_id + dev, t_id + dev + 1000, '', '', '{"plan":"pro"}', '', '', 0, ''
FROM __DB__.persons ARRAY JOIN range(devs) AS dev WHERE ident > 0
;;
INSERT INTO __DB__.gen
SELECT 'demo', concat(hex(cityHash64(p, g, 'grp')), '22222222222222222222222222222222') AS id, 2, '', lower(hex(cityHash64(p, 0, 'anon'))),
  if(g = 0 AND ident = 2, '', uid), ts, ts, ts + 1000, '', '', '{"name":"Acme"}', '', '', 0,
  concat('acc', toString((p + g * 7) % 1000))
FROM (SELECT p, g, uid, ident, if(g = 0, if(ident = 2, t_id - 1000, t_id + 10), days[nd] * 86400000 + 80000000) AS ts FROM __DB__.persons ARRAY JOIN range(if(p % 50 = 0, 2, 1)) AS g WHERE ident > 0 AND p % 5 < 2)
;;
SELECT count(), uniqExact(id), uniqExact(anon), uniqExact(user), countIf(type=1), countIf(type=2), countIf(name='$install') FROM __DB__.gen
