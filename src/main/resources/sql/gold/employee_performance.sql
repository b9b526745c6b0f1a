-- employee_performance: one row per employee with orders, best first.
SELECT b.employee_id,
       e.full_name,
       e.title,
       b.orders,
       b.net_revenue,
       CAST(CAST(b.net_revenue AS DECIMAL(38,8)) / NULLIF(b.orders, 0) AS DECIMAL(30,8)) AS avg_basket,
       RANK() OVER (ORDER BY b.net_revenue DESC) AS rank
FROM employee_performance_sums b
LEFT JOIN employee e ON e.employee_id = b.employee_id
