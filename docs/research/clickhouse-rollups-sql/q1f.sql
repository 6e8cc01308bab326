SELECT dictGetString('ties_vdict', 'user', tuple('a', 'an1')), dictGetString('ties_vdict', 'user', tuple('a', 'an2'))
;;
SELECT name, element_count, last_exception FROM system.dictionaries
;;
INSERT INTO ties_agg SELECT 'a', 'an1', argMinState('u0', (toInt64(1), 'u0'))
;;
SELECT sleep(2)
;;
SELECT dictGetString('ties_vdict', 'user', tuple('a', 'an1'))
;;
SELECT anon, user FROM (SELECT 'a' AS app, arrayJoin(['an1','an3']) AS anon) ANY LEFT JOIN ties USING (app, anon)
;;
SELECT anon, tie FROM (SELECT 'a' AS app, arrayJoin(['an1','an2']) AS anon) ANY LEFT JOIN (SELECT app, anon, argMinMerge(tie) AS tie FROM ties_agg GROUP BY app, anon) USING app, anon
