CREATE TABLE t_src (app String, id String, k String, v UInt64, ts Int64) ENGINE = MergeTree ORDER BY (app, id)
;;
CREATE TABLE t_agg (app String, k String, u AggregateFunction(uniqExact, String), mn AggregateFunction(min, Int64), mx AggregateFunction(max, Int64), am AggregateFunction(argMax, String, Int64), an AggregateFunction(any, String), gua AggregateFunction(groupUniqArray, String)) ENGINE = AggregatingMergeTree() ORDER BY (app, k)
;;
CREATE MATERIALIZED VIEW mv_agg TO t_agg AS SELECT app, k, uniqExactState(id) AS u, minState(ts) AS mn, maxState(ts) AS mx, argMaxState(id, ts) AS am, anyState(id) AS an, groupUniqArrayState(id) AS gua FROM t_src GROUP BY app, k
;;
CREATE TABLE t_sum (app String, k String, n UInt64, s UInt64) ENGINE = SummingMergeTree() ORDER BY (app, k)
;;
CREATE MATERIALIZED VIEW mv_sum TO t_sum AS SELECT app, k, count() AS n, sum(v) AS s FROM t_src GROUP BY app, k
;;
CREATE MATERIALIZED VIEW mv_inner ENGINE = SummingMergeTree() ORDER BY (app, k) AS SELECT app, k, count() AS n FROM t_src GROUP BY app, k
;;
INSERT INTO t_src VALUES ('a','1','x',1,100),('a','2','x',2,200),('a','3','y',3,50)
;;
INSERT INTO t_src VALUES ('a','1','x',1,100),('a','4','x',5,300)
;;
SELECT app, k, uniqExactMerge(u), minMerge(mn), maxMerge(mx), argMaxMerge(am), anyMerge(an), arraySort(groupUniqArrayMerge(gua)) FROM t_agg GROUP BY app, k ORDER BY k
;;
SELECT * FROM t_sum ORDER BY k
;;
SELECT app, k, sum(n), sum(s) FROM t_sum GROUP BY app, k ORDER BY k
;;
SELECT * FROM t_sum FINAL ORDER BY k
;;
SELECT app, k, uniqExactMerge(u) FROM t_agg FINAL GROUP BY app, k ORDER BY k
;;
SELECT count() FROM t_agg
;;
OPTIMIZE TABLE t_agg FINAL
;;
SELECT count() FROM t_agg
;;
SELECT * FROM mv_inner ORDER BY k
;;
SHOW TABLES
;;
CREATE MATERIALIZED VIEW mv_pop ENGINE = SummingMergeTree() ORDER BY (app, k) POPULATE AS SELECT app, k, count() AS n FROM t_src GROUP BY app, k
;;
SELECT * FROM mv_pop ORDER BY k
;;
CREATE MATERIALIZED VIEW mv_pop_to TO t_sum POPULATE AS SELECT app, k, count() AS n, sum(v) AS s FROM t_src GROUP BY app, k
;;
SELECT groupBitmap(toUInt32(v)) FROM t_src
;;
SELECT bitmapCardinality(bitmapBuild([1,2,3]))
;;
SELECT groupBitmapState(toUInt32(v)) FROM t_src
