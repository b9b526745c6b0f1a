-- The RFM segment of every customer with an order: VIP when monetary >= Q3, LOYAL >= Q2,
-- REGULAR >= Q1, else AT_RISK. Compared in double precision on both sides, so a customer whose
-- monetary equals a quartile exactly (an uninterpolated position) lands on the right side.
WITH monetary AS (
  SELECT o.customer_id,
         COALESCE(SUM(od.unit_price::numeric * od.quantity * (1 - od.discount::numeric)), 0)::float8 AS monetary
  FROM orders o
  LEFT JOIN order_details od ON od.order_id = o.order_id
  WHERE o.customer_id IS NOT NULL
  GROUP BY o.customer_id
),
quartiles AS (
  SELECT percentile_cont(0.25) WITHIN GROUP (ORDER BY monetary) AS q1,
         percentile_cont(0.50) WITHIN GROUP (ORDER BY monetary) AS q2,
         percentile_cont(0.75) WITHIN GROUP (ORDER BY monetary) AS q3
  FROM monetary
)
SELECT m.customer_id,
       CASE WHEN m.monetary >= q.q3 THEN 'VIP'
            WHEN m.monetary >= q.q2 THEN 'LOYAL'
            WHEN m.monetary >= q.q1 THEN 'REGULAR'
            ELSE 'AT_RISK' END AS segment
FROM monetary m
CROSS JOIN quartiles q
ORDER BY m.customer_id
