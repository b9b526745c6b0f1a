-- rfm_quartiles: the exact interpolated quartiles Q1, Q2, Q3 of each RFM metric, with
-- PostgreSQL percentile_cont semantics, in DECIMAL (no approximation, no DOUBLE):
-- pos = p * (n - 1), q = v[floor(pos)] + (pos - floor(pos)) * (v[ceil(pos)] - v[floor(pos)]).
-- pos has at most 2 decimals (p is 0.25, 0.5 or 0.75), so the fraction fits DECIMAL(3,2) and the
-- result is exact at scale 10.
WITH stacked AS (
  SELECT 'recency_days' AS metric, CAST(recency_days AS DECIMAL(30,8)) AS v FROM rfm_metric
  UNION ALL
  SELECT 'frequency' AS metric, CAST(frequency AS DECIMAL(30,8)) AS v FROM rfm_metric
  UNION ALL
  SELECT 'monetary' AS metric, monetary AS v FROM rfm_metric
),
ranked AS (
  SELECT metric, v, ROW_NUMBER() OVER (PARTITION BY metric ORDER BY v) - 1 AS i
  FROM stacked
),
counts AS (
  SELECT metric, COUNT(*) AS n FROM stacked GROUP BY metric
),
positions AS (
  -- k = 1, 2, 3 for p = 0.25, 0.50, 0.75 (generated per metric, no cross join)
  SELECT c.metric, k, CAST(k * 0.25 AS DECIMAL(3,2)) * (c.n - 1) AS pos
  FROM counts c
  LATERAL VIEW EXPLODE(ARRAY(1, 2, 3)) q AS k
),
interpolated AS (
  SELECT ps.metric,
         ps.k,
         MAX(CASE WHEN r.i = FLOOR(ps.pos) THEN r.v END)
         + CAST(MAX(ps.pos - FLOOR(ps.pos)) AS DECIMAL(3,2))
           * (MAX(CASE WHEN r.i = CEIL(ps.pos) THEN r.v END) - MAX(CASE WHEN r.i = FLOOR(ps.pos) THEN r.v END))
           AS q
  FROM positions ps
  JOIN ranked r ON r.metric = ps.metric AND (r.i = FLOOR(ps.pos) OR r.i = CEIL(ps.pos))
  GROUP BY ps.metric, ps.k
)
SELECT metric,
       CAST(MAX(CASE WHEN k = 1 THEN q END) AS DECIMAL(38,10)) AS q1,
       CAST(MAX(CASE WHEN k = 2 THEN q END) AS DECIMAL(38,10)) AS q2,
       CAST(MAX(CASE WHEN k = 3 THEN q END) AS DECIMAL(38,10)) AS q3
FROM interpolated
GROUP BY metric
