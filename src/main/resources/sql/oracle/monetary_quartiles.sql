-- Q1, Q2, Q3 of customer monetary value. percentile_cont works in double precision, so the
-- values are exact only to about 15 significant digits.
WITH monetary AS (
  SELECT o.customer_id,
         COALESCE(SUM(od.unit_price::numeric * od.quantity * (1 - od.discount::numeric)), 0) AS monetary
  FROM orders o
  LEFT JOIN order_details od ON od.order_id = o.order_id
  WHERE o.customer_id IS NOT NULL
  GROUP BY o.customer_id
)
SELECT percentile_cont(0.25) WITHIN GROUP (ORDER BY monetary::float8)::numeric AS q1,
       percentile_cont(0.50) WITHIN GROUP (ORDER BY monetary::float8)::numeric AS q2,
       percentile_cont(0.75) WITHIN GROUP (ORDER BY monetary::float8)::numeric AS q3
FROM monetary
