-- rfm_customer: one row per customer with at least one order, scored against the quartiles.
-- score(v) = 1 + (v >= Q1) + (v >= Q2) + (v >= Q3); a low recency is good, so r_score = 5 - score.
-- The segment follows monetary alone: VIP >= Q3, LOYAL >= Q2, REGULAR >= Q1, else AT_RISK.
WITH scored AS (
  SELECT m.customer_id,
         m.last_order_date,
         m.recency_days,
         m.frequency,
         m.monetary,
         5 - (1 + IF(CAST(m.recency_days AS DECIMAL(30,8)) >= qr.q1, 1, 0)
                + IF(CAST(m.recency_days AS DECIMAL(30,8)) >= qr.q2, 1, 0)
                + IF(CAST(m.recency_days AS DECIMAL(30,8)) >= qr.q3, 1, 0)) AS r_score,
         1 + IF(CAST(m.frequency AS DECIMAL(30,8)) >= qf.q1, 1, 0)
           + IF(CAST(m.frequency AS DECIMAL(30,8)) >= qf.q2, 1, 0)
           + IF(CAST(m.frequency AS DECIMAL(30,8)) >= qf.q3, 1, 0) AS f_score,
         1 + IF(m.monetary >= qm.q1, 1, 0)
           + IF(m.monetary >= qm.q2, 1, 0)
           + IF(m.monetary >= qm.q3, 1, 0) AS m_score,
         CASE WHEN m.monetary >= qm.q3 THEN 'VIP'
              WHEN m.monetary >= qm.q2 THEN 'LOYAL'
              WHEN m.monetary >= qm.q1 THEN 'REGULAR'
              ELSE 'AT_RISK' END AS segment
  FROM rfm_metric m
  CROSS JOIN (SELECT * FROM rfm_quartiles WHERE metric = 'recency_days') qr
  CROSS JOIN (SELECT * FROM rfm_quartiles WHERE metric = 'frequency') qf
  CROSS JOIN (SELECT * FROM rfm_quartiles WHERE metric = 'monetary') qm
)
SELECT s.customer_id,
       c.company_name,
       COALESCE(c.country, 'UNKNOWN') AS country,
       s.last_order_date,
       s.recency_days,
       s.frequency,
       s.monetary,
       s.r_score,
       s.f_score,
       s.m_score,
       CONCAT(s.r_score, s.f_score, s.m_score) AS rfm_code,
       s.segment
FROM scored s
LEFT JOIN customer c ON c.customer_id = s.customer_id
