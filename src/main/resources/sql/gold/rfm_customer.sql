-- rfm_customer: one row per customer with at least one order, scored against the quartiles.
-- score(v) = 1 + (v >= Q1) + (v >= Q2) + (v >= Q3); a low recency is good, so r_score = 5 - score.
-- The segment follows monetary alone: VIP >= Q3, LOYAL >= Q2, REGULAR >= Q1, else AT_RISK.
-- Metrics are scored in long form (one row per customer and metric) joined to the quartiles on the
-- metric name, then pivoted back: equi-joins only.
WITH long_metric AS (
  SELECT customer_id, 'recency_days' AS metric, CAST(recency_days AS DECIMAL(30,8)) AS v FROM rfm_metric
  UNION ALL
  SELECT customer_id, 'frequency' AS metric, CAST(frequency AS DECIMAL(30,8)) AS v FROM rfm_metric
  UNION ALL
  SELECT customer_id, 'monetary' AS metric, monetary AS v FROM rfm_metric
),
scored_long AS (
  SELECT l.customer_id,
         l.metric,
         1 + IF(l.v >= q.q1, 1, 0) + IF(l.v >= q.q2, 1, 0) + IF(l.v >= q.q3, 1, 0) AS score,
         CASE WHEN l.v >= q.q3 THEN 'VIP'
              WHEN l.v >= q.q2 THEN 'LOYAL'
              WHEN l.v >= q.q1 THEN 'REGULAR'
              ELSE 'AT_RISK' END AS segment
  FROM long_metric l
  JOIN rfm_quartiles q ON q.metric = l.metric
),
scored AS (
  SELECT customer_id,
         5 - MAX(CASE WHEN metric = 'recency_days' THEN score END) AS r_score,
         MAX(CASE WHEN metric = 'frequency' THEN score END)        AS f_score,
         MAX(CASE WHEN metric = 'monetary' THEN score END)         AS m_score,
         MAX(CASE WHEN metric = 'monetary' THEN segment END)       AS segment
  FROM scored_long
  GROUP BY customer_id
)
SELECT m.customer_id,
       c.company_name,
       COALESCE(c.country, 'UNKNOWN') AS country,
       m.last_order_date,
       m.recency_days,
       m.frequency,
       m.monetary,
       CAST(s.r_score AS INT) AS r_score,
       CAST(s.f_score AS INT) AS f_score,
       CAST(s.m_score AS INT) AS m_score,
       CONCAT(s.r_score, s.f_score, s.m_score) AS rfm_code,
       s.segment
FROM rfm_metric m
JOIN scored s ON s.customer_id = m.customer_id
LEFT JOIN customer c ON c.customer_id = m.customer_id
