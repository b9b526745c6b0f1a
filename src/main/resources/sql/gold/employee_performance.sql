-- employee_performance: one row per employee with orders, best first.
WITH by_employee AS (
  SELECT employee_id,
         COUNT(DISTINCT order_id)               AS orders,
         CAST(SUM(net_amount) AS DECIMAL(30,8)) AS net_revenue
  FROM order_base
  WHERE employee_id IS NOT NULL
  GROUP BY employee_id
)
SELECT b.employee_id,
       e.full_name,
       e.title,
       b.orders,
       b.net_revenue,
       CAST(CAST(b.net_revenue AS DECIMAL(38,8)) / NULLIF(b.orders, 0) AS DECIMAL(30,8)) AS avg_basket,
       RANK() OVER (ORDER BY b.net_revenue DESC) AS rank
FROM by_employee b
LEFT JOIN employee e ON e.employee_id = b.employee_id
