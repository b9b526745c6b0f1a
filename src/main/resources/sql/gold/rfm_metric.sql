-- Recency, frequency and monetary value of every customer with at least one order.
-- Recency counts days from the day after the last order date in the data, so it is >= 1.
WITH per_customer AS (
  SELECT customer_id,
         MAX(order_date)                        AS last_order_date,
         COUNT(DISTINCT order_id)               AS frequency,
         CAST(SUM(net_amount) AS DECIMAL(30,8)) AS monetary
  FROM order_base
  WHERE customer_id IS NOT NULL
  GROUP BY customer_id
),
reference AS (
  SELECT DATE_ADD(MAX(order_date), 1) AS reference_date FROM order_base
)
SELECT p.customer_id,
       p.last_order_date,
       DATEDIFF(r.reference_date, p.last_order_date) AS recency_days,
       p.frequency,
       p.monetary
FROM per_customer p
CROSS JOIN reference r
