-- employee_performance's sums by employee: additive over new orders.
SELECT employee_id,
       COUNT(DISTINCT order_id)               AS orders,
       CAST(SUM(net_amount) AS DECIMAL(30,8)) AS net_revenue
FROM order_base
WHERE employee_id IS NOT NULL
GROUP BY employee_id
