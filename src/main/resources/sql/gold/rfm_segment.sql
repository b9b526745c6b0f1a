-- rfm_segment: always the four segments (empty ones with 0 customers), in business order.
WITH segments AS (
  SELECT * FROM VALUES
    ('VIP', 1, 'premium loyalty programme'),
    ('LOYAL', 2, 'rewards and upsell'),
    ('REGULAR', 3, 'standard engagement'),
    ('AT_RISK', 4, 'win-back campaign')
  AS s(segment, sort_order, action)
),
per_segment AS (
  SELECT segment,
         COUNT(*)                                 AS customers,
         CAST(SUM(monetary) AS DECIMAL(38,8))     AS revenue,
         AVG(CAST(recency_days AS DOUBLE))        AS avg_recency,
         AVG(CAST(frequency AS DOUBLE))           AS avg_frequency
  FROM rfm_customer
  GROUP BY segment
)
SELECT s.segment,
       COALESCE(p.customers, 0)                                   AS customers,
       CAST(COALESCE(p.revenue, 0) AS DECIMAL(30,8))              AS revenue,
       COALESCE(CAST(p.revenue AS DOUBLE)
                / NULLIF(CAST(SUM(p.revenue) OVER () AS DOUBLE), 0), 0.0) AS revenue_share,
       p.avg_recency,
       p.avg_frequency,
       CAST(p.revenue / NULLIF(p.customers, 0) AS DECIMAL(30,8))  AS avg_monetary,
       s.action,
       CAST(s.sort_order AS INT)                                  AS sort_order
FROM segments s
LEFT JOIN per_segment p ON p.segment = s.segment
