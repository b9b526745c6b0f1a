-- employee_performance's sums by employee: additive over new orders.
-- fact_order holds each order once (its MERGE key is order_id), so COUNT(order_id) counts orders:
-- COUNT(DISTINCT ...) would add a shuffle of every order for nothing.
SELECT employee_id,
       COUNT(order_id)                        AS orders,
       CAST(SUM(net_amount) AS DECIMAL(30,8)) AS net_revenue
FROM order_base
WHERE employee_id IS NOT NULL
GROUP BY employee_id
