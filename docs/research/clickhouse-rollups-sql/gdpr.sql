SELECT anon FROM (SELECT anon, argMinMerge(tie) AS t FROM g1.ties WHERE app = 'demo' GROUP BY anon) WHERE t = 'uEF0C7EBE61DBA7AE'
;;
SELECT 'events', count() FROM g1.events WHERE app = 'demo' AND (user = 'uEF0C7EBE61DBA7AE' OR anon IN ('ddaf9eb97d0eded6', '943044b0a8c29c46') OR (anon = 'uEF0C7EBE61DBA7AE' AND user = ''))
UNION ALL SELECT 'actor_days', count() FROM g1.actor_days WHERE app = 'demo' AND (user = 'uEF0C7EBE61DBA7AE' OR anon IN ('ddaf9eb97d0eded6', '943044b0a8c29c46') OR (anon = 'uEF0C7EBE61DBA7AE' AND user = ''))
UNION ALL SELECT 'ties', count() FROM g1.ties WHERE app = 'demo' AND anon IN ('ddaf9eb97d0eded6', '943044b0a8c29c46')
;;
ALTER TABLE g1.events DELETE WHERE app = 'demo' AND (user = 'uEF0C7EBE61DBA7AE' OR anon IN ('ddaf9eb97d0eded6', '943044b0a8c29c46') OR (anon = 'uEF0C7EBE61DBA7AE' AND user = ''))
;;
ALTER TABLE g1raw.events DELETE WHERE app = 'demo' AND (user = 'uEF0C7EBE61DBA7AE' OR anon IN ('ddaf9eb97d0eded6', '943044b0a8c29c46') OR (anon = 'uEF0C7EBE61DBA7AE' AND user = ''))
;;
SELECT sleep(1)
;;
SELECT 'after raw delete: actor_days rows still there', count() FROM g1.actor_days WHERE app = 'demo' AND (user = 'uEF0C7EBE61DBA7AE' OR anon IN ('ddaf9eb97d0eded6', '943044b0a8c29c46'))
;;
ALTER TABLE g1.actor_days DELETE WHERE app = 'demo' AND (user = 'uEF0C7EBE61DBA7AE' OR anon IN ('ddaf9eb97d0eded6', '943044b0a8c29c46') OR (anon = 'uEF0C7EBE61DBA7AE' AND user = ''))
;;
ALTER TABLE g1.feature_days DELETE WHERE app = 'demo' AND (user = 'uEF0C7EBE61DBA7AE' OR anon IN ('ddaf9eb97d0eded6', '943044b0a8c29c46') OR (anon = 'uEF0C7EBE61DBA7AE' AND user = ''))
;;
ALTER TABLE g1.feature_days_h DELETE WHERE app = 'demo' AND (user = 'uEF0C7EBE61DBA7AE' OR anon IN ('ddaf9eb97d0eded6', '943044b0a8c29c46') OR (anon = 'uEF0C7EBE61DBA7AE' AND user = ''))
;;
ALTER TABLE g1.actor_features DELETE WHERE app = 'demo' AND (user = 'uEF0C7EBE61DBA7AE' OR anon IN ('ddaf9eb97d0eded6', '943044b0a8c29c46') OR (anon = 'uEF0C7EBE61DBA7AE' AND user = ''))
;;
ALTER TABLE g1.actors DELETE WHERE app = 'demo' AND (user = 'uEF0C7EBE61DBA7AE' OR anon IN ('ddaf9eb97d0eded6', '943044b0a8c29c46') OR (anon = 'uEF0C7EBE61DBA7AE' AND user = ''))
;;
ALTER TABLE g1.marker_days DELETE WHERE app = 'demo' AND (user = 'uEF0C7EBE61DBA7AE' OR anon IN ('ddaf9eb97d0eded6', '943044b0a8c29c46') OR (anon = 'uEF0C7EBE61DBA7AE' AND user = ''))
;;
ALTER TABLE g1.person_events DELETE WHERE app = 'demo' AND (user = 'uEF0C7EBE61DBA7AE' OR anon IN ('ddaf9eb97d0eded6', '943044b0a8c29c46') OR (anon = 'uEF0C7EBE61DBA7AE' AND user = ''))
;;
ALTER TABLE g1.ties DELETE WHERE app = 'demo' AND anon IN ('ddaf9eb97d0eded6', '943044b0a8c29c46')
;;
SELECT database, table, mutation_id, command, create_time, is_done FROM system.mutations WHERE database LIKE 'g1%' ORDER BY create_time
;;
SELECT sleep(2)
;;
SELECT database, table, count(), sum(is_done) FROM system.mutations WHERE database LIKE 'g1%' GROUP BY database, table ORDER BY table
;;
SELECT * FROM system.mutations LIMIT 1 FORMAT Vertical
